import { takeRows, type DataLike, type TensorData } from '../data/tensor-data.js';
import { ValueError } from '../errors.js';
import { checkOptionNames, positiveInteger, rate } from '../option-checks.js';
import type { Sequential } from '../models/sequential.js';
import type { Callback, Logs, TrainingParams } from './callbacks/callback.js';
import { CallbackList } from './callbacks/callback-list.js';
import { History } from './callbacks/history.js';
import { compiledSetup, evaluateData } from './evaluate.js';
import type { TrainingSetup } from './compile.js';
import { createMetric } from './metrics/create-metric.js';
import { trainStep, type StepResult } from './train-step.js';
import { prepareData, splitTail, type LabelledData } from './training-data.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

export interface FitOptions {
  /** Samples per gradient step. Default 32. */
  readonly batchSize?: number;
  /** Train until this epoch index (exclusive). Default 1. */
  readonly epochs?: number;
  /** Reshuffle the training samples every epoch (with the model's seeded generator). Default true. */
  readonly shuffle?: boolean;
  /** Hold out this last fraction of the samples (before shuffling) for validation. Default 0. */
  readonly validationSplit?: number;
  /** Validation inputs and labels, instead of validationSplit. */
  readonly validationData?: readonly [DataLike, DataLike];
  /** Epoch to start at, when resuming. Default 0. */
  readonly initialEpoch?: number;
  readonly callbacks?: readonly Callback[];
}

const FIT_OPTION_NAMES = [
  'batchSize',
  'epochs',
  'shuffle',
  'validationSplit',
  'validationData',
  'initialEpoch',
  'callbacks',
];

/**
 * Trains a compiled model (Keras `fit`): epochs of shuffled mini-batches, each one gradient step;
 * validation after every epoch; callbacks told of every batch and epoch (awaited). Between
 * batches it yields to the event loop, so progress can render and Ctrl-C can be handled; a
 * callback may set `model.stopTraining` to end after the current batch.
 *
 * @example
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], backend: tsBackend() });
 * const history = await model.fit(x, y, { epochs: 10, batchSize: 64, validationSplit: 0.1 });
 */
export async function fit(model: Sequential, x: DataLike, y: DataLike, options: FitOptions = {}): Promise<History> {
  return fitWithStep(model, x, y, options, trainStep);
}

/** How `fitWithStep` trains on one batch: one optimizer update of the model, the batch's loss and outputs back. */
export type BatchStep = (
  model: Sequential,
  setup: TrainingSetup,
  x: TensorData,
  y: TensorData,
) => StepResult | Promise<StepResult>;

/**
 * `fit` with the per-batch training step supplied by the caller; everything else (batching,
 * shuffling, validation, metrics, callbacks) is fit's. Data-parallel training in
 * `@recur/core/parallel` passes a step that spreads each batch over worker threads.
 */
export async function fitWithStep(
  model: Sequential,
  x: DataLike,
  y: DataLike,
  options: FitOptions,
  step: BatchStep,
): Promise<History> {
  const setup = compiledSetup(model, 'fit');
  checkOptionNames('fit', options, FIT_OPTION_NAMES);
  const batchSize = positiveInteger('fit', 'batchSize', options.batchSize ?? 32);
  const epochs = positiveInteger('fit', 'epochs', options.epochs ?? 1);
  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0)
    throw new ValueError(`fit: 'initialEpoch' must be a non-negative integer, got ${JSON.stringify(initialEpoch)}.`);
  const shuffle = options.shuffle ?? true;
  const validationSplit = rate('fit', 'validationSplit', options.validationSplit ?? 0);
  if (options.validationData !== undefined && validationSplit > 0) {
    throw new ValueError("fit: give either 'validationSplit' or 'validationData', not both.");
  }
  if (model.trainableWeights.length === 0) throw new ValueError(`fit: model '${model.name}' has no trainable weights.`);

  const all = prepareData(model, setup.loss, x, y, { x: 'x', y: 'y' });
  let train: LabelledData = all;
  let validation: LabelledData | null = null;
  if (options.validationData !== undefined) {
    if (!Array.isArray(options.validationData) || options.validationData.length !== 2) {
      throw new ValueError("fit: 'validationData' must be a pair [x, y].");
    }
    validation = prepareData(model, setup.loss, options.validationData[0], options.validationData[1], {
      x: 'validationData[0]',
      y: 'validationData[1]',
    });
  } else if (validationSplit > 0) {
    ({ train, validation } = splitTail(all, validationSplit));
  }

  const samples = train.x.shape[0];
  const steps = Math.ceil(samples / batchSize);
  const params: TrainingParams = {
    epochs,
    initialEpoch,
    steps,
    samples,
    batchSize,
    validationSamples: validation?.x.shape[0] ?? 0,
  };
  const history = new History();
  const callbacks = new CallbackList([history, ...(options.callbacks ?? [])]);
  callbacks.attach(model, params);
  model.stopTraining = false;
  const metrics = setup.metricNames.map((name) => createMetric(name, setup.loss));

  await callbacks.onTrainBegin({});
  let epochLogs: Logs = {};
  for (let epoch = initialEpoch; epoch < epochs; epoch++) {
    await callbacks.onEpochBegin(epoch, {});
    const order = shuffle ? model.random.permutation(samples) : Int32Array.from({ length: samples }, (_, k) => k);
    for (const metric of metrics) metric.reset();
    let lossTotal = 0;
    let seen = 0;
    const started = performance.now();
    for (let batch = 0; batch < steps; batch++) {
      const rows = order.subarray(batch * batchSize, Math.min((batch + 1) * batchSize, samples));
      await callbacks.onBatchBegin(batch, { batch, size: rows.length });
      const result = await step(model, setup, takeRows(train.x, rows), takeRows(train.y, rows));
      lossTotal += result.loss * rows.length;
      seen += rows.length;
      for (const metric of metrics) metric.update(result.batch);
      const seconds = (performance.now() - started) / 1000;
      const batchLogs: Record<string, number> = {
        batch,
        size: rows.length,
        epoch,
        batches: steps,
        loss: lossTotal / seen,
      };
      for (const metric of metrics) batchLogs[metric.name] = metric.result();
      batchLogs.samplesPerSecond = seconds > 0 ? seen / seconds : 0;
      batchLogs.etaSeconds = (seconds / (batch + 1)) * (steps - batch - 1);
      await callbacks.onBatchEnd(batch, batchLogs);
      await yieldToEventLoop();
      if (model.stopTraining) break;
    }
    const logs: Record<string, number> = { loss: lossTotal / seen };
    for (const metric of metrics) logs[metric.name] = metric.result();
    if (validation !== null) {
      for (const [key, value] of Object.entries(evaluateData(model, setup, validation, batchSize)))
        logs[`val_${key}`] = value;
    }
    epochLogs = logs;
    await callbacks.onEpochEnd(epoch, logs);
    if (model.stopTraining) break;
  }
  await callbacks.onTrainEnd(epochLogs);
  return history;
}
