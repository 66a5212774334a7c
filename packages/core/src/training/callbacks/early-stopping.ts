import type { TensorData } from '../../data/tensor-data.js';
import { checkOptionNames } from '../../option-checks.js';
import { ValueError } from '../../errors.js';
import { Callback, type Logs } from './callback.js';
import { Monitor, type MonitorMode } from './monitor.js';

export interface EarlyStoppingOptions {
  /** Default `val_loss`. */
  readonly monitor?: string;
  /** Smallest change that counts as an improvement. Default 0. */
  readonly minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  readonly patience?: number;
  /** Default `auto` (accuracies up, losses down). */
  readonly mode?: MonitorMode;
  /** A value the monitor must beat before the patience counter resets. Default none. */
  readonly baseline?: number | null;
  /** Put back the weights of the best epoch when training ends. Default false. */
  readonly restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (warm-up). Default 0. */
  readonly startFromEpoch?: number;
}

/**
 * Stops training when the monitored value stops improving (Keras `EarlyStopping`): after
 * `patience` epochs without an improvement it sets `model.stopTraining`; with
 * `restoreBestWeights` the best epoch's weights are restored when training ends.
 *
 * @example
 * await model.fit(x, y, { epochs: 100, validationSplit: 0.2,
 *   callbacks: [new EarlyStopping({ patience: 3, restoreBestWeights: true })] });
 */
export class EarlyStopping extends Callback {
  readonly monitor: Monitor;
  readonly patience: number;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** The epoch at which training was stopped, or null. */
  stoppedEpoch: number | null = null;
  best: number | null = null;
  bestEpoch = 0;
  private wait = 0;
  private bestWeights: Map<string, TensorData> | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    checkOptionNames('EarlyStopping', options, [
      'monitor',
      'minDelta',
      'patience',
      'mode',
      'baseline',
      'restoreBestWeights',
      'startFromEpoch',
    ]);
    this.monitor = new Monitor(
      'EarlyStopping',
      options.monitor ?? 'val_loss',
      options.mode ?? 'auto',
      options.minDelta ?? 0,
    );
    this.patience = nonNegativeInteger('patience', options.patience ?? 0);
    this.startFromEpoch = nonNegativeInteger('startFromEpoch', options.startFromEpoch ?? 0);
    this.baseline = options.baseline ?? null;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = null;
    this.best = null;
    this.bestEpoch = 0;
    this.bestWeights = null;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (epoch < this.startFromEpoch) return;
    const current = this.monitor.read(logs, 'EarlyStopping');
    // Until something improves, the weights of the first watched epoch count as the best.
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = this.model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (this.monitor.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.model.getWeights();
      // The patience counter restarts only once the baseline is beaten too.
      if (this.baseline === null || this.monitor.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights !== null) this.model.setWeights(this.bestWeights);
  }
}

function nonNegativeInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ValueError(`EarlyStopping: '${option}' must be a non-negative integer, got ${JSON.stringify(value)}.`);
  }
  return value;
}
