import type { DataLike } from '../data/tensor-data.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import type { Sequential } from '../models/sequential.js';
import { Tensor } from '../tensor/tensor.js';
import { prepareData } from './training-data.js';
import { trainStep, trainStepOnTensors } from './train-step.js';

/**
 * One optimizer step on one batch, returning that batch's loss (Keras `train_on_batch`): for
 * custom training loops, benchmarks and online learning. Dropout is active. Host data is
 * checked like `fit`'s; tensors already on the model's backend are used as they are (the model
 * checks the input's shape, the loss the labels' dtype), so a loop that reuses a batch pays no
 * upload.
 *
 * @example
 * const loss = trainOnBatch(model, xBatch, yBatch);
 */
export function trainOnBatch(model: Sequential, x: DataLike | Tensor, y: DataLike | Tensor): number {
  const setup = model.trainingSetup;
  if (setup === null)
    throw new ValueError(
      `trainOnBatch: model '${model.name}' is not compiled; call model.compile({ optimizer, loss }) first.`,
    );
  if (x instanceof Tensor || y instanceof Tensor) {
    if (!(x instanceof Tensor && y instanceof Tensor))
      throw new ValueError('trainOnBatch: give x and y both as tensors or both as host data.');
    if (y.dtype !== setup.loss.labelDtype) {
      throw new ValueError(
        `trainOnBatch: loss '${setup.loss.name}' takes ${setup.loss.labelDtype} labels, got a ${y.dtype} tensor.`,
      );
    }
    if (y.shape[0] !== x.shape[0]) {
      throw new ShapeError(
        `trainOnBatch: x ${formatShape(x.shape)} and y ${formatShape(y.shape)} have different sample counts.`,
      );
    }
    return trainStepOnTensors(model, setup, x, y);
  }
  const batch = prepareData(model, setup.loss, x, y, { x: 'x', y: 'y' });
  return trainStep(model, setup, batch.x, batch.y).loss;
}
