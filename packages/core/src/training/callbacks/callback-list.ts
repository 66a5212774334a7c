import type { Sequential } from '../../models/sequential.js';
import type { Callback, Logs, TrainingParams } from './callback.js';

/** Runs each hook on every callback in order, awaiting each, so callbacks see a consistent model. */
export class CallbackList {
  constructor(private readonly callbacks: readonly Callback[]) {}

  attach(model: Sequential, params: TrainingParams): void {
    for (const callback of this.callbacks) {
      callback.setModel(model);
      callback.params = params;
    }
  }

  async onTrainBegin(logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback.onTrainBegin(logs);
  }

  async onTrainEnd(logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback.onTrainEnd(logs);
  }

  async onEpochBegin(epoch: number, logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback.onEpochBegin(epoch, logs);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback.onEpochEnd(epoch, logs);
  }

  async onBatchBegin(batch: number, logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback.onBatchBegin(batch, logs);
  }

  async onBatchEnd(batch: number, logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback.onBatchEnd(batch, logs);
  }
}
