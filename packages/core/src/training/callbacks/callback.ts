import { ValueError } from '../../errors.js';
import type { Sequential } from '../../models/sequential.js';

/**
 * What fit reports to callbacks, by key. Epoch logs hold `loss`, each metric and their `val_`
 * twins. Batch logs hold the epoch's running `loss` and metrics plus progress: `epoch`, `batch`,
 * `batches` (per epoch), `size` (samples in this batch), `samplesPerSecond`, `etaSeconds`.
 */
export type Logs = Readonly<Record<string, number>>;

/** The run `fit` is doing, given to callbacks before it starts. */
export interface TrainingParams {
  readonly epochs: number;
  readonly initialEpoch: number;
  /** Batches per epoch. */
  readonly steps: number;
  readonly samples: number;
  readonly batchSize: number;
  readonly validationSamples: number;
}

/**
 * Design: Keras's callback hooks, each optionally async (fit awaits it, so a checkpoint write
 * finishes before training goes on). A callback steers training through the model, e.g. by
 * setting `model.stopTraining`.
 *
 * @example
 * class PrintLoss extends Callback {
 *   override onEpochEnd(epoch: number, logs: Logs) { console.log(epoch, logs.loss); }
 * }
 */
export class Callback {
  private attachedModel: Sequential | null = null;
  params: TrainingParams | null = null;

  /** The model being trained; set by fit before `onTrainBegin`. */
  get model(): Sequential {
    if (this.attachedModel === null)
      throw new ValueError(`${this.constructor.name} is not attached to a model: pass it to model.fit({ callbacks }).`);
    return this.attachedModel;
  }

  setModel(model: Sequential): void {
    this.attachedModel = model;
  }

  onTrainBegin(_logs: Logs): void | Promise<void> {}
  onTrainEnd(_logs: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs: Logs): void | Promise<void> {}
  onBatchBegin(_batch: number, _logs: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs: Logs): void | Promise<void> {}
}
