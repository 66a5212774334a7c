import type { TensorData } from '../../data/tensor-data.js';
import { formatShape } from '../../errors.js';
import { logSoftmax, mul, neg, sum } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { clippedLogProbabilities } from './clipped-log-probabilities.js';
import { labelShapeError } from './label-shape-error.js';
import { reduceLoss } from './reduce-loss.js';
import type { Loss } from './loss.js';

/**
 * Cross-entropy against one-hot (or soft) label rows: `-sum(y * log p)` over the last axis,
 * averaged over the batch (Keras `categorical_crossentropy`).
 *
 * @example
 * model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
 */
export const categoricalCrossentropy: Loss = {
  name: 'categorical_crossentropy',
  labelDtype: 'float32',
  foldableActivation: 'softmax',
  labelKind: 'categorical',

  checkLabels(labels: TensorData, outputShape: readonly number[], what: string): void {
    const matches = labels.shape.length === outputShape.length && labels.shape.every((d, k) => d === outputShape[k]);
    if (!matches) {
      throw labelShapeError(
        this.name,
        what,
        labels.shape,
        outputShape,
        `${formatShape(outputShape)} (one-hot rows; for integer class ids use 'sparse_categorical_crossentropy')`,
      );
    }
  },

  compute(output: Tensor, labels: Tensor, fromLogits: boolean, mask: Tensor | null = null): Tensor {
    const logProbabilities = fromLogits ? logSoftmax(output, -1) : clippedLogProbabilities(output);
    return reduceLoss(neg(sum(mul(labels, logProbabilities), -1)), mask);
  },
};
