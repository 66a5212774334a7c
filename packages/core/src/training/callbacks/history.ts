import { Callback, type Logs } from './callback.js';

/**
 * The record fit returns: the epochs that ran and, per log key, one value per epoch (Keras
 * `History`).
 *
 * @example
 * const history = await model.fit(x, y, { epochs: 5, validationSplit: 0.1 });
 * history.history.val_loss; // [0.91, 0.72, ...]
 */
export class History extends Callback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      this.history[key] ??= [];
      this.history[key].push(value);
    }
  }
}
