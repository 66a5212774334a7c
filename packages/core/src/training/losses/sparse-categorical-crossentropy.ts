import type { TensorData } from '../../data/tensor-data.js';
import { ValueError, formatShape } from '../../errors.js';
import { gather, logSoftmax, neg, reshape } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { clippedLogProbabilities } from './clipped-log-probabilities.js';
import { labelShapeError } from './label-shape-error.js';
import { reduceLoss } from './reduce-loss.js';
import type { Loss } from './loss.js';

/**
 * Cross-entropy against integer class ids: `-log p[label]` per row, averaged over the batch
 * (Keras `sparse_categorical_crossentropy`). Outputs `[N, C]` take labels `[N]` or `[N, 1]`;
 * sequence outputs `[N, T, C]` take `[N, T]` (or `[N, T, 1]`).
 *
 * @example
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 */
export const sparseCategoricalCrossentropy: Loss = {
  name: 'sparse_categorical_crossentropy',
  labelDtype: 'int32',
  foldableActivation: 'softmax',
  labelKind: 'sparse',

  checkLabels(labels: TensorData, outputShape: readonly number[], what: string): void {
    const rowsShape = outputShape.slice(0, -1);
    const same = (shape: readonly number[]): boolean =>
      labels.shape.length === shape.length && labels.shape.every((d, k) => d === shape[k]);
    if (!same(rowsShape) && !same([...rowsShape, 1])) {
      throw labelShapeError(
        this.name,
        what,
        labels.shape,
        outputShape,
        `${formatShape(rowsShape)} (one integer class id per row)`,
      );
    }
    const classes = outputShape[outputShape.length - 1];
    for (let k = 0; k < labels.values.length; k++) {
      const id = labels.values[k];
      if (!(id >= 0 && id < classes)) {
        throw new ValueError(
          `Loss '${this.name}': ${what} holds class id ${id} at flat index ${k}, but the model outputs ${classes} classes, so ids must be in [0, ${classes - 1}]. ` +
            'Check the vocabulary size of the final Dense layer.',
        );
      }
    }
  },

  compute(output: Tensor, labels: Tensor, fromLogits: boolean, mask: Tensor | null = null): Tensor {
    const classes = output.shape[output.rank - 1];
    const rows = output.size / classes;
    const logProbabilities = fromLogits ? logSoftmax(output, -1) : clippedLogProbabilities(output);
    // Row r's log-probability of its label sits at r * classes + label in the flattened table.
    const ids = labels.read();
    const flatIds = new Int32Array(rows);
    for (let row = 0; row < rows; row++) flatIds[row] = row * classes + ids[row];
    const table = reshape(logProbabilities, [rows * classes, 1]);
    const picked = gather(table, output.engine.tensor(flatIds, [rows], 'int32'), this.name);
    return reduceLoss(neg(reshape(picked, output.shape.slice(0, -1))), mask);
  },
};
