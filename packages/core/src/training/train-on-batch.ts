import type { DataLike } from '../data/tensor-data.js';
import { ValueError } from '../errors.js';
import type { Sequential } from '../models/sequential.js';
import { prepareData } from './training-data.js';
import { trainStep } from './train-step.js';

/**
 * One optimizer step on one batch, returning that batch's loss (Keras `train_on_batch`): for
 * custom training loops, benchmarks and online learning. Dropout is active.
 *
 * @example
 * const loss = trainOnBatch(model, xBatch, yBatch);
 */
export function trainOnBatch(model: Sequential, x: DataLike, y: DataLike): number {
  const setup = model.trainingSetup;
  if (setup === null) throw new ValueError(`trainOnBatch: model '${model.name}' is not compiled; call model.compile({ optimizer, loss }) first.`);
  const batch = prepareData(model, setup.loss, x, y, { x: 'x', y: 'y' });
  return trainStep(model, setup, batch.x, batch.y).loss;
}
