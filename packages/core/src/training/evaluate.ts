import type { DataLike } from '../data/tensor-data.js';
import { takeRows } from '../data/tensor-data.js';
import { ValueError } from '../errors.js';
import { checkOptionNames, positiveInteger } from '../option-checks.js';
import type { Sequential } from '../models/sequential.js';
import type { Logs } from './callbacks/callback.js';
import type { TrainingSetup } from './compile.js';
import { createMetric } from './metrics/create-metric.js';
import { evaluateStep } from './train-step.js';
import { prepareData, type LabelledData } from './training-data.js';

export interface EvaluateOptions {
  /** Default 32. */
  readonly batchSize?: number;
}

/**
 * The compiled loss and metrics over a dataset, at inference (no dropout), in batches.
 *
 * @example
 * const { loss, accuracy } = model.evaluate(xTest, yTest, { batchSize: 64 });
 */
export function evaluate(model: Sequential, x: DataLike, y: DataLike, options: EvaluateOptions = {}): Logs {
  const setup = compiledSetup(model, 'evaluate');
  checkOptionNames('evaluate', options, ['batchSize']);
  const batchSize = positiveInteger('evaluate', 'batchSize', options.batchSize ?? 32);
  return evaluateData(model, setup, prepareData(model, setup.loss, x, y, { x: 'x', y: 'y' }), batchSize);
}

/** Loss (sample-weighted mean of batch means, as Keras) and metrics over checked data. */
export function evaluateData(model: Sequential, setup: TrainingSetup, data: LabelledData, batchSize: number): Logs {
  const metrics = setup.metricNames.map((name) => createMetric(name, setup.loss));
  const samples = data.x.shape[0];
  let lossTotal = 0;
  for (let start = 0; start < samples; start += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, samples - start) }, (_, k) => start + k);
    const result = evaluateStep(model, setup, takeRows(data.x, rows), takeRows(data.y, rows));
    lossTotal += result.loss * rows.length;
    for (const metric of metrics) metric.update(result.batch);
  }
  const logs: Record<string, number> = { loss: lossTotal / samples };
  for (const metric of metrics) logs[metric.name] = metric.result();
  return logs;
}

/** The model's TrainingSetup; a clear error when compile was not called. */
export function compiledSetup(model: Sequential, operation: string): TrainingSetup {
  if (model.trainingSetup === null) {
    throw new ValueError(
      `${operation}: model '${model.name}' is not compiled; call model.compile({ optimizer: 'adam', loss: '...', backend }) first.`,
    );
  }
  return model.trainingSetup;
}
