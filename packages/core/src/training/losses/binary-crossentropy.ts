import type { TensorData } from '../../data/tensor-data.js';
import { formatShape } from '../../errors.js';
import { add, clip, concat, expandDims, log, logSumExp, mean, mul, neg, reshape, sub } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { labelShapeError, matchesOutputShape } from './label-shape-error.js';
import { KERAS_EPSILON, type Loss } from './loss.js';
import { reduceLoss } from './reduce-loss.js';

/**
 * `-(y log p + (1 - y) log(1 - p))` per output, averaged (Keras `binary_crossentropy`). From
 * logits x it is `softplus(x) - x y`, with softplus written as `logSumExp([0, x])` so it neither
 * overflows nor loses the exact gradient `sigmoid(x) - y`.
 *
 * @example
 * model.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] });
 */
export const binaryCrossentropy: Loss = {
  name: 'binary_crossentropy',
  labelDtype: 'float32',
  foldableActivation: 'sigmoid',
  labelKind: 'binary',

  checkLabels(labels: TensorData, outputShape: readonly number[], what: string): void {
    if (!matchesOutputShape(labels.shape, outputShape)) {
      throw labelShapeError(
        this.name,
        what,
        labels.shape,
        outputShape,
        `${formatShape(outputShape)} (0/1 targets, one per output)`,
      );
    }
  },

  compute(output: Tensor, labels: Tensor, fromLogits: boolean, mask: Tensor | null = null): Tensor {
    const targets = reshape(labels, output.shape);
    let elementLosses: Tensor;
    if (fromLogits) {
      const pairs = concat([output.engine.zeros([...output.shape, 1]), expandDims(output, -1)], -1);
      elementLosses = sub(logSumExp(pairs, -1), mul(output, targets));
    } else {
      const p = clip(output, KERAS_EPSILON, 1 - KERAS_EPSILON);
      elementLosses = neg(add(mul(targets, log(p)), mul(sub(1, targets), log(sub(1, p)))));
    }
    return reduceLoss(mean(elementLosses, -1), mask);
  },
};
