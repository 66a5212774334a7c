import { ValueError } from '../../errors.js';
import { oneOf } from '../../option-checks.js';
import type { Logs } from './callback.js';

export type MonitorMode = 'auto' | 'min' | 'max';

/** Names of quantities that improve upwards, for `auto` mode (the rest of the known ones improve downwards). */
const UPWARD = ['accuracy', 'acc'];
const DOWNWARD = ['loss', 'perplexity', 'mse', 'mean_squared_error', 'mae', 'mean_absolute_error'];

/**
 * A watched log value and what counts as better, shared by EarlyStopping and ModelCheckpoint:
 * `auto` mode maximises accuracies and minimises losses and errors (Keras's rule); an
 * improvement must beat the reference by more than `minDelta`.
 */
export class Monitor {
  readonly key: string;
  readonly direction: 'min' | 'max';
  private readonly minDelta: number;

  constructor(kind: string, key: string, mode: MonitorMode, minDelta: number) {
    if (typeof key !== 'string' || key === '')
      throw new ValueError(`${kind}: 'monitor' must name a log key such as 'val_loss'.`);
    this.key = key;
    const checked = oneOf(kind, 'mode', mode, ['auto', 'min', 'max'] as const);
    if (checked !== 'auto') this.direction = checked;
    else {
      const base = key.startsWith('val_') ? key.slice(4) : key;
      if (UPWARD.includes(base)) this.direction = 'max';
      else if (DOWNWARD.includes(base)) this.direction = 'min';
      else
        throw new ValueError(
          `${kind}: cannot tell whether '${key}' should go up or down; pass mode: 'min' or mode: 'max'.`,
        );
    }
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta))
      throw new ValueError(`${kind}: 'minDelta' must be a finite number, got ${JSON.stringify(minDelta)}.`);
    this.minDelta = Math.abs(minDelta);
  }

  /** The watched value in `logs`; a missing key is a configuration error, named with the keys there are. */
  read(logs: Logs, kind: string): number {
    const value = logs[this.key];
    if (value === undefined) {
      const hint = this.key.startsWith('val_') ? " ('val_' keys need validationSplit or validationData in fit)" : '';
      throw new ValueError(
        `${kind} watches '${this.key}', which is not in the logs${hint}. Available: ${Object.keys(logs).join(', ')}.`,
      );
    }
    return value;
  }

  /** Whether `value` beats `reference` by more than minDelta (anything beats null). */
  isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    return this.direction === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }
}
