import { RecurError, type TensorData } from '@recur/core';
import { loadKernelBackend } from '../backend-table.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../command.js';
import { loadTrainConfig } from '../config/train-config.js';
import type { DataConfig } from '../config/data-config.js';
import type { Split } from '../data/encoding.js';
import { fitDataToModel } from '../data/fit-data-to-model.js';
import { prepareDataset } from '../data/prepare-dataset.js';
import { stringFlag } from '../flag-values.js';
import { loadSavedModel } from '../inference/inference-model.js';
import { fromMetadata } from '../model/cli-metadata.js';
import { formatLogs, formatNumber } from '../output/format-duration.js';
import { forecastReport } from '../training/train-from-config.js';

const SPLITS = ['validation', 'train', 'all'] as const;

/** `recur evaluate <model> [config]`: loss and metrics on the model's data (or a config's). */
export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: "Compute a trained model's loss and metrics on data",
  usage: 'recur evaluate <model folder> [config.yaml] [--split validation|train|all]',
  description: [
    'Loads the model, encodes the data exactly as at training time (the vocabulary, scaling and labels saved in',
    'the model) and reports the compiled loss and metrics. Without a config it uses the data the model was trained on.',
    'Forecasters also report MAE and RMSE in the data units beside the naive last-value forecast.',
  ].join('\n'),
  positionals: [1, 2],
  flags: {
    split: { type: 'string', value: '<part>', description: 'validation (default), train, or all.' },
  },
  examples: ['recur evaluate out/births-model', 'recur evaluate out/spam-model other-mail.yaml --split all --json'],
  async run([path, configPath], flags, context) {
    const split = stringFlag(flags, 'split') ?? 'validation';
    if (!(SPLITS as readonly string[]).includes(split))
      throw new CliError(`--split must be one of ${SPLITS.join(', ')}; got '${split}'.`, 2);
    const backend = await loadKernelBackend(context.backend ?? 'ts', 'evaluate');
    const { model, metadata } = await loadSavedModel(path, backend);
    const saved = fromMetadata(metadata, `'${path}'`);
    if (saved.encoding === undefined || saved.training === undefined) {
      throw new CliError(
        `'${path}' has no training metadata (encoding, loss): evaluate works on models saved by 'recur train'.`,
      );
    }
    let data: DataConfig | undefined = saved.data;
    if (configPath !== undefined) data = (await loadTrainConfig(configPath)).data;
    if (data === undefined)
      throw new CliError(
        `'${path}' does not record its training data: pass a config whose data section to evaluate on.`,
      );
    const seed = context.seed ?? saved.training.seed;
    const prepared = await prepareDataset(data, seed, saved.encoding);
    const part =
      split === 'train'
        ? prepared.train
        : split === 'validation'
          ? prepared.validation
          : prepared.validation === null
            ? prepared.train
            : concatSplits(prepared.train, prepared.validation);
    if (part === null)
      throw new CliError(
        'The data has no validation part (data.validationSplit is 0): use --split train or --split all.',
      );
    const { loss, metrics } = saved.training;
    const fitted = fitDataToModel(part, saved.encoding, model, loss);
    let logs: Record<string, number>;
    try {
      model.compile({ loss: loss as never, metrics });
      logs = { ...model.evaluate(fitted.x, fitted.y, { batchSize: saved.training.batchSize }) };
    } catch (error) {
      if (error instanceof RecurError) throw new CliError(`The data does not fit the model: ${error.message}`);
      throw error;
    }
    const forecast = saved.encoding.task === 'forecasting' ? forecastReport(model, part, saved.encoding.scaling) : null;
    if (context.json) {
      context.emitJson({ model: path, split, samples: part.x.shape[0], metrics: logs, forecast });
      return;
    }
    context.log(`${split} (${part.x.shape[0].toLocaleString('en-US')} samples): ${formatLogs(logs)}`);
    if (forecast !== null) {
      context.log(
        `Forecast error: MAE ${formatNumber(forecast.model.mae)}, RMSE ${formatNumber(forecast.model.rmse)}; naive last value: MAE ${formatNumber(forecast.lastValue.mae)}, RMSE ${formatNumber(forecast.lastValue.rmse)}.`,
      );
    }
  },
};

/** Training then validation samples, in the data's order. */
function concatSplits(first: Split, second: Split): Split {
  const join = (a: TensorData, b: TensorData): TensorData => {
    const values = new (a.values.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(
      a.values.length + b.values.length,
    );
    values.set(a.values);
    values.set(b.values, a.values.length);
    return { shape: [a.shape[0] + b.shape[0], ...a.shape.slice(1)], values };
  };
  return { x: join(first.x, second.x), y: join(first.y, second.y) };
}
