import type { TensorData } from '../../data/tensor-data.js';
import { formatShape } from '../../errors.js';
import { mean, reshape, square, sub } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { labelShapeError, matchesOutputShape } from './label-shape-error.js';
import { reduceLoss } from './reduce-loss.js';
import type { Loss } from './loss.js';

/**
 * `mean((y - ŷ)²)` over every output (Keras `mean_squared_error`, alias `mse`).
 *
 * @example
 * model.compile({ optimizer: 'sgd', loss: 'mse' });
 */
export const meanSquaredError: Loss = {
  name: 'mean_squared_error',
  labelDtype: 'float32',
  foldableActivation: null,
  labelKind: 'regression',

  checkLabels(labels: TensorData, outputShape: readonly number[], what: string): void {
    if (!matchesOutputShape(labels.shape, outputShape)) {
      throw labelShapeError(this.name, what, labels.shape, outputShape, formatShape(outputShape));
    }
  },

  compute(output: Tensor, labels: Tensor, _fromLogits: boolean, mask: Tensor | null = null): Tensor {
    return reduceLoss(mean(square(sub(output, reshape(labels, output.shape))), -1), mask);
  },
};
