import { RandomGenerator, RecurError, takeRows, type Sequential } from '@recur/core';
import { saveModel } from '@recur/core/io';
import { loadKernelBackend } from '../backend-table.js';
import { CliError } from '../cli-error.js';
import type { TrainConfig } from '../config/train-config.js';
import type { PreparedData, Split } from '../data/encoding.js';
import { fitDataToModel } from '../data/fit-data-to-model.js';
import { prepareDataset } from '../data/prepare-dataset.js';
import { forecastErrors, lastValues } from '../data/series-data.js';
import { loadSavedModel } from '../inference/inference-model.js';
import { fromMetadata, toMetadata } from '../model/cli-metadata.js';
import { modelFromConfig } from '../model/model-from-config.js';
import { LossRecorder, type LossRecord } from './loss-recorder.js';
import { ProgressBar } from './progress-bar.js';
import { RunTracker, TrainingInterrupted } from './run-tracker.js';
import { readCheckpoint, writeCheckpoint, type LoadedCheckpoint } from './training-checkpoint.js';

export interface TrainRunOptions {
  /** Where progress is drawn (a terminal gets a live bar, anything else plain lines). */
  readonly progress: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Informational lines (data, model, where files went). */
  readonly log: (line: string) => void;
  /** Folder for the checkpoint written when `signal` aborts training. */
  readonly checkpoint: string;
  /** A checkpoint folder to continue from. */
  readonly resume?: string;
  /** Aborting it stops training after the current batch and writes the checkpoint. */
  readonly signal?: AbortSignal;
}

/** Forecast errors in the data's units on the validation windows, with the naive last-value forecast's. */
export interface ForecastReport {
  readonly model: { readonly mae: number; readonly rmse: number };
  readonly lastValue: { readonly mae: number; readonly rmse: number };
}

export interface TrainRunResult {
  readonly outcome: 'completed' | 'interrupted';
  /** The saved model folder (completed runs). */
  readonly output: string | null;
  /** The checkpoint folder (interrupted runs). */
  readonly checkpoint: string | null;
  readonly record: LossRecord;
  readonly parameters: number;
  readonly data: string;
  readonly forecast: ForecastReport | null;
  readonly seconds: number;
}

/**
 * `recur train` as a library function (the demo and the CLI share it): loads the data, builds
 * the model from the config (or a checkpoint), trains with a progress bar, saves the model
 * folder with its metadata (vocabulary, scaling, labels), and on an aborted signal saves a
 * checkpoint from which `resume` continues with bit-identical results: the resumed epoch
 * replays the interrupted epoch's shuffle from the saved generator state and skips the
 * batches already trained; weights, optimizer slots and the generator come back exactly.
 *
 * @example
 * const result = await trainFromConfig(await loadTrainConfig('config.yaml'), { progress: process.stdout, log: console.log, checkpoint: 'out/ckpt' });
 */
export async function trainFromConfig(config: TrainConfig, options: TrainRunOptions): Promise<TrainRunResult> {
  const started = performance.now();
  const { loss, metrics, epochs, batchSize } = config.training;
  const settings = { epochs, batchSize, seed: config.seed };
  const backend = await loadKernelBackend(config.backend, 'train');
  const checkpoint = options.resume === undefined ? null : await readCheckpoint(options.resume);
  if (checkpoint !== null) checkResumable(checkpoint, settings, options.resume!);

  let model: Sequential;
  let data: PreparedData;
  if (checkpoint !== null) {
    const loaded = await loadSavedModel(checkpoint.modelFolder, backend);
    model = loaded.model;
    data = await prepareDataset(config.data, config.seed, fromMetadata(loaded.metadata, options.resume!).encoding);
  } else {
    data = await prepareDataset(config.data, config.seed);
    model = modelFromConfig(config.modelName, config.layers, data, config.source).build({ backend, seed: config.seed });
  }
  const train = fitDataToModel(data.train, data.encoding, model, loss);
  const validation = data.validation === null ? null : fitDataToModel(data.validation, data.encoding, model, loss);
  try {
    model.compile({ optimizer: config.training.optimizer, loss: loss as never, metrics });
  } catch (error) {
    if (error instanceof RecurError) throw new CliError(`${config.source}: 'training' is not valid: ${error.message}`);
    throw error;
  }
  const optimizer = model.trainingSetup!.optimizer;
  if (checkpoint !== null) {
    optimizer.setState(checkpoint.optimizer);
    model.random.restore(checkpoint.position.random);
  }
  const metadata = toMetadata({
    encoding: data.encoding,
    training: { loss, metrics, seed: config.seed, batchSize },
    data: config.data,
  });
  options.log(`Data: ${data.description}`);
  options.log(
    `Model: ${model.parameterCount().toLocaleString('en-US')} parameters on backend '${backend.name}'${checkpoint !== null ? `, resumed from '${options.resume}' at epoch ${checkpoint.position.epoch + 1}, batch ${checkpoint.position.batchesDone + 1}` : ''}`,
  );

  const recorder = new LossRecorder(checkpoint?.position.record, checkpoint?.position.partial);
  const tracker = new RunTracker(options.signal, checkpoint?.position ?? null);
  const samples = train.x.shape[0];
  const batchesPerEpoch = Math.ceil(samples / batchSize);
  const common = {
    batchSize,
    validationData: validation === null ? undefined : ([validation.x, validation.y] as const),
  };
  const progress = (batchOffset: number) =>
    new ProgressBar({ stream: options.progress, epochs, batchesPerEpoch, batchOffset });
  try {
    let epoch = checkpoint?.position.epoch ?? 0;
    if (checkpoint !== null && checkpoint.position.batchesDone > 0) {
      // Replay the interrupted epoch's shuffle and train only the batches it had not reached.
      const order = new RandomGenerator(0);
      order.restore(checkpoint.position.epochStartRandom);
      const rest = order.permutation(samples).subarray(checkpoint.position.batchesDone * batchSize);
      await model.fit(takeRows(train.x, rest), takeRows(train.y, rest), {
        ...common,
        shuffle: false,
        initialEpoch: epoch,
        epochs: epoch + 1,
        callbacks: [tracker, recorder, progress(checkpoint.position.batchesDone)],
      });
      epoch += 1;
    }
    if (epoch < epochs)
      await model.fit(train.x, train.y, {
        ...common,
        initialEpoch: epoch,
        epochs,
        callbacks: [tracker, recorder, progress(0)],
      });
  } catch (error) {
    if (!(error instanceof TrainingInterrupted)) throw error;
    await writeCheckpoint(
      options.checkpoint,
      model,
      optimizer.getState(),
      tracker.position(recorder),
      settings,
      metadata,
    );
    return {
      outcome: 'interrupted',
      output: null,
      checkpoint: options.checkpoint,
      record: recorder.record,
      parameters: model.parameterCount(),
      data: data.description,
      forecast: null,
      seconds: (performance.now() - started) / 1000,
    };
  }
  await saveModel(model, config.output, { metadata });
  return {
    outcome: 'completed',
    output: config.output,
    checkpoint: null,
    record: recorder.record,
    parameters: model.parameterCount(),
    data: data.description,
    forecast:
      data.encoding.task === 'forecasting' && validation !== null
        ? forecastReport(model, validation, data.encoding.scaling)
        : null,
    seconds: (performance.now() - started) / 1000,
  };
}

function checkResumable(
  checkpoint: LoadedCheckpoint,
  settings: { epochs: number; batchSize: number; seed: number },
  folder: string,
): void {
  for (const key of ['batchSize', 'seed'] as const) {
    if (checkpoint.settings[key] !== settings[key]) {
      throw new CliError(
        `Checkpoint '${folder}' was trained with ${key} ${checkpoint.settings[key]}, this run asks for ${settings[key]}: resume with the same ${key}.`,
      );
    }
  }
  if (checkpoint.position.epoch >= settings.epochs) {
    throw new CliError(
      `Checkpoint '${folder}' stopped in epoch ${checkpoint.position.epoch + 1}, but this run trains ${settings.epochs} epochs: raise --epochs to continue.`,
    );
  }
}

/** The validation forecast errors in the data's units, beside the naive last-value forecast's. */
export function forecastReport(
  model: Sequential,
  validation: Split,
  scaling: { kind: 'standard' | 'minmax' | 'none'; offset: number; scale: number },
): ForecastReport {
  const predicted = model.predict(validation.x, { batchSize: 256 }).values;
  return {
    model: forecastErrors(predicted, validation.y.values, scaling),
    lastValue: forecastErrors(lastValues(validation.x), validation.y.values, scaling),
  };
}
