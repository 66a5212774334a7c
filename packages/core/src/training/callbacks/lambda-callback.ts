import { Callback, type Logs } from './callback.js';

/** Any of Keras's hooks as plain functions; each may be async. */
export interface LambdaCallbackHooks {
  readonly onTrainBegin?: (logs: Logs) => void | Promise<void>;
  readonly onTrainEnd?: (logs: Logs) => void | Promise<void>;
  readonly onEpochBegin?: (epoch: number, logs: Logs) => void | Promise<void>;
  readonly onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
  readonly onBatchBegin?: (batch: number, logs: Logs) => void | Promise<void>;
  readonly onBatchEnd?: (batch: number, logs: Logs) => void | Promise<void>;
}

/**
 * A callback made of functions (Keras `LambdaCallback`), e.g. to drive a progress bar.
 *
 * @example
 * new LambdaCallback({ onBatchEnd: (batch, logs) => bar.update(batch + 1, logs.etaSeconds) })
 */
export class LambdaCallback extends Callback {
  constructor(private readonly hooks: LambdaCallbackHooks) {
    super();
  }

  override onTrainBegin(logs: Logs): void | Promise<void> {
    return this.hooks.onTrainBegin?.(logs);
  }

  override onTrainEnd(logs: Logs): void | Promise<void> {
    return this.hooks.onTrainEnd?.(logs);
  }

  override onEpochBegin(epoch: number, logs: Logs): void | Promise<void> {
    return this.hooks.onEpochBegin?.(epoch, logs);
  }

  override onEpochEnd(epoch: number, logs: Logs): void | Promise<void> {
    return this.hooks.onEpochEnd?.(epoch, logs);
  }

  override onBatchBegin(batch: number, logs: Logs): void | Promise<void> {
    return this.hooks.onBatchBegin?.(batch, logs);
  }

  override onBatchEnd(batch: number, logs: Logs): void | Promise<void> {
    return this.hooks.onBatchEnd?.(batch, logs);
  }
}
