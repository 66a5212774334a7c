import { Callback, type Logs, type RandomGenerator } from '@recur/core';
import type { TrainingPosition } from './training-checkpoint.js';
import type { LossRecorder } from './loss-recorder.js';

type RandomSnapshot = ReturnType<RandomGenerator['snapshot']>;

/** Thrown out of fit by RunTracker when a stop was requested; training stops between batches. */
export class TrainingInterrupted extends Error {
  constructor() {
    super('Training was interrupted.');
    this.name = 'TrainingInterrupted';
  }
}

/**
 * Follows where training stands (epoch, batches done, the generator before the epoch's
 * shuffle and after the last batch) and stops it between two batches once `signal` is
 * aborted: the next batch or epoch hook throws TrainingInterrupted, so fit ends before any
 * further update, shuffle or dropout draw, and the position describes the model exactly.
 * (Setting `model.stopTraining` instead would run a partial validation pass first.)
 */
export class RunTracker extends Callback {
  private epoch = 0;
  private batchesDone = 0;
  private batchOffset = 0;
  private epochStartRandom: RandomSnapshot | null = null;
  private random: RandomSnapshot | null = null;
  private lastLogs: Logs | null = null;

  constructor(
    private readonly signal: AbortSignal | undefined,
    /** Where a resumed run starts: its first epoch continues after `batchesDone` batches. */
    private resumed: Pick<TrainingPosition, 'epoch' | 'batchesDone' | 'epochStartRandom'> | null,
  ) {
    super();
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.random = this.model.random.snapshot();
    this.lastLogs = null;
    if (this.resumed !== null && this.resumed.epoch === epoch) {
      this.batchOffset = this.resumed.batchesDone;
      this.epochStartRandom = this.resumed.epochStartRandom;
    } else {
      this.batchOffset = 0;
      this.epochStartRandom = this.random;
    }
    this.resumed = null;
    this.batchesDone = this.batchOffset;
    this.stopIfAsked();
  }

  override onBatchBegin(): void {
    this.stopIfAsked();
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    this.batchesDone = this.batchOffset + batch + 1;
    this.random = this.model.random.snapshot();
    this.lastLogs = logs;
  }

  /** The position to checkpoint after an interruption. */
  position(recorder: LossRecorder): TrainingPosition {
    return {
      epoch: this.epoch,
      batchesDone: this.batchesDone,
      epochStartRandom: this.epochStartRandom ?? this.model.random.snapshot(),
      random: this.random ?? this.model.random.snapshot(),
      record: recorder.record,
      partial: this.batchesDone > 0 ? recorder.partialEpoch(this.lastLogs) : null,
    };
  }

  private stopIfAsked(): void {
    if (this.signal?.aborted === true) throw new TrainingInterrupted();
  }
}
