import { Callback, type Logs } from './callback.js';

/**
 * Stops training as soon as a batch's loss is NaN or infinite (Keras `TerminateOnNaN`), so a
 * diverged run does not keep overwriting good weights.
 *
 * @example
 * await model.fit(x, y, { epochs: 10, callbacks: [new TerminateOnNaN()] });
 */
export class TerminateOnNaN extends Callback {
  /** The batch (within its epoch) whose loss was not finite, or null. */
  stoppedAtBatch: number | null = null;

  override onTrainBegin(): void {
    this.stoppedAtBatch = null;
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.stoppedAtBatch = batch;
      this.model.stopTraining = true;
    }
  }
}
