import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { UsageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { loadTrainConfig } from '../config/train-config.js';
import { numberFlag, stringFlag } from '../flag-values.js';
import { asciiChart, sparkline } from '../output/loss-chart.js';
import { lossChartSvg } from '../output/loss-chart-svg.js';
import { formatDuration, formatLogs, formatNumber } from '../output/format-duration.js';
import { trainFromConfig, type TrainRunResult } from '../training/train-from-config.js';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * 128 + the signal number, the shell's code for "ended by this signal": scripts can tell an
 * interrupted run from a finished one, and which signal stopped it.
 */
const STOP_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** `recur train <config>`: train from a JSON/YAML config; Ctrl-C saves a checkpoint. */
export const trainCommand: Command = {
  name: 'train',
  summary: 'Train a model from a JSON or YAML config',
  usage: 'recur train <config.yaml|config.json> [options]',
  description: [
    'Trains the model a config describes (model.layers as in the core spec, data, training, backend, seed, output)',
    'and saves it as a folder: model.json, weights.safetensors, and metadata (vocabulary, scaling, labels).',
    'Flags override the config. Progress is a live bar on a terminal and plain lines otherwise; a loss curve follows.',
    'Ctrl-C (or SIGTERM, SIGHUP) stops after the current batch and saves a checkpoint; --resume continues from it with the same results',
    'as a run that was never interrupted.',
  ].join('\n'),
  positionals: [1, 1],
  flags: {
    epochs: { type: 'string', value: '<n>', description: 'Epochs (overrides training.epochs).' },
    'batch-size': {
      type: 'string',
      value: '<n>',
      description: 'Samples per gradient step (overrides training.batchSize).',
    },
    'learning-rate': { type: 'string', value: '<x>', description: "The optimizer's learning rate." },
    out: { type: 'string', value: '<folder>', description: 'Where to save the trained model (overrides output).' },
    checkpoint: {
      type: 'string',
      value: '<folder>',
      description: 'Where Ctrl-C saves the checkpoint. Default <out>-checkpoint.',
    },
    resume: {
      type: 'string',
      value: '<folder>',
      description: 'Continue from a checkpoint written by an interrupted run.',
    },
    plot: { type: 'string', value: '<file.svg>', description: 'Also draw the loss curve into an SVG file.' },
  },
  examples: [
    'recur train examples/text-generation/config.yaml',
    'recur train config.yaml --epochs 5 --batch-size 64 --out models/sotu',
    'recur train config.yaml --plot loss.svg --json > result.json',
    'recur train config.yaml --resume models/sotu-checkpoint',
  ],
  async run([configPath], flags, context) {
    const plot = stringFlag(flags, 'plot');
    // Checked before any work: the chart is SVG, and SVG bytes in a .png file open nowhere.
    if (plot !== undefined && extname(plot).toLowerCase() !== '.svg') {
      throw new UsageError(
        `--plot writes an SVG image, so '${plot}' must end in .svg (e.g. --plot ${plot.slice(0, plot.length - extname(plot).length)}.svg); convert it to PNG afterwards if you need one.`,
        'train',
      );
    }
    const config = await loadTrainConfig(configPath, {
      epochs: numberFlag(flags, 'epochs', 'train', { integer: true, min: 1 }),
      batchSize: numberFlag(flags, 'batch-size', 'train', { integer: true, min: 1 }),
      learningRate: numberFlag(flags, 'learning-rate', 'train', { min: 0, exclusiveMin: true }),
      backend: context.backend,
      seed: context.seed,
      output: stringFlag(flags, 'out'),
    });
    const checkpoint = resolve(stringFlag(flags, 'checkpoint') ?? `${config.output}-checkpoint`);
    const controller = new AbortController();
    // The signal that stopped the run, for the exit code; SIGTERM (kill, systemd, a CI timeout)
    // and SIGHUP (the terminal closed) save a checkpoint as Ctrl-C does.
    let stoppedBy: StopSignal | undefined;
    const onStop = (signal: StopSignal): void => {
      if (controller.signal.aborted) {
        context.stderr.write('\nInterrupted again: quitting without a checkpoint.\n');
        process.exit(STOP_EXIT_CODES[signal]);
      }
      stoppedBy = signal;
      const again = signal === 'SIGINT' ? 'Ctrl-C' : `${signal}`;
      context.stderr.write(
        `\nInterrupted${signal === 'SIGINT' ? '' : ` by ${signal}`}: stopping after this batch and saving a checkpoint (${again} again to quit at once)...\n`,
      );
      controller.abort();
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onStop);
    let result: TrainRunResult;
    try {
      result = await trainFromConfig(config, {
        progress: context.json ? context.stderr : context.stdout,
        log: context.log,
        checkpoint,
        resume: stringFlag(flags, 'resume'),
        signal: controller.signal,
      });
    } finally {
      for (const signal of STOP_SIGNALS) process.off(signal, onStop);
    }
    if (plot !== undefined)
      await writeFile(
        plot,
        lossChartSvg(
          result.record.batchLosses,
          result.record.epochs.map((logs) => logs.val_loss),
        ),
      );
    if (context.json) {
      context.emitJson({ ...result, plot: plot ?? null });
    } else {
      report(result, context.log, plot);
    }
    return result.outcome === 'interrupted' ? STOP_EXIT_CODES[stoppedBy ?? 'SIGINT'] : 0;
  },
};

function report(result: TrainRunResult, log: (line: string) => void, plot: string | undefined): void {
  const losses = result.record.batchLosses;
  if (losses.length > 1) {
    log('');
    log(`Loss per batch  ${sparkline(losses, 60)}`);
    for (const line of asciiChart(losses, { width: 60, height: 8 })) log(`  ${line}`);
  }
  const last = result.record.epochs.at(-1);
  if (last !== undefined) log(`Final epoch: ${formatLogs(last)}`);
  if (result.forecast !== null) {
    const { model, lastValue } = result.forecast;
    log(
      `Validation forecast error: MAE ${formatNumber(model.mae)}, RMSE ${formatNumber(model.rmse)}; naive last value: MAE ${formatNumber(lastValue.mae)}, RMSE ${formatNumber(lastValue.rmse)}.`,
    );
  }
  if (plot !== undefined) log(`Loss curve: ${plot}`);
  if (result.outcome === 'interrupted') {
    log(
      `Checkpoint saved to ${result.checkpoint} after ${formatDuration(result.seconds)}. Continue with: recur train <config> --resume ${result.checkpoint}`,
    );
  } else {
    log(
      `Model saved to ${result.output} (${result.parameters.toLocaleString('en-US')} parameters, ${formatDuration(result.seconds)}).`,
    );
  }
}
