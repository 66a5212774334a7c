import { Callback, type Logs } from '@recur/core';

/** What a run has measured so far: stored in checkpoints, so a resumed run charts the whole of it. */
export interface LossRecord {
  /** The loss of every batch, in order. */
  readonly batchLosses: number[];
  /** The logs of every finished epoch (`loss`, metrics, `val_*`). */
  readonly epochs: Record<string, number>[];
}

/**
 * Records each batch's own loss (fit reports the epoch's running mean; the batch's value is
 * the change of the running sum) and each finished epoch's logs.
 *
 * @example
 * const recorder = new LossRecorder();
 * await model.fit(x, y, { callbacks: [recorder] });
 * console.log(sparkline(recorder.record.batchLosses, 60));
 */
export class LossRecorder extends Callback {
  readonly record: LossRecord;
  private runningSum = 0;
  private seen = 0;
  /** Running loss sum and sample count of a partial epoch from a checkpoint, to merge into its epoch logs. */
  private carried: { readonly loss: number; readonly seen: number; readonly metrics: Record<string, number> } | null;

  constructor(previous?: LossRecord, carried?: { loss: number; seen: number; metrics: Record<string, number> } | null) {
    super();
    this.record = { batchLosses: [...(previous?.batchLosses ?? [])], epochs: [...(previous?.epochs ?? [])] };
    this.carried = carried ?? null;
  }

  override onEpochBegin(): void {
    this.runningSum = 0;
    this.seen = 0;
  }

  override onBatchEnd(_batch: number, logs: Logs): void {
    const seen = this.seen + logs.size;
    const sum = logs.loss * seen;
    this.record.batchLosses.push((sum - this.runningSum) / logs.size);
    this.runningSum = sum;
    this.seen = seen;
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    this.record.epochs.push(this.carried === null ? { ...logs } : mergeCarried(logs, this.carried, this.seen));
    this.carried = null;
  }

  /** The running state of the epoch in progress, for a checkpoint: mean loss and metrics over `seen` samples. */
  partialEpoch(lastBatchLogs: Logs | null): { loss: number; seen: number; metrics: Record<string, number> } | null {
    if (lastBatchLogs === null || this.seen === 0) return this.carried;
    const metrics = Object.fromEntries(Object.entries(lastBatchLogs).filter(([key]) => !NOT_METRICS.includes(key)));
    const current = { loss: lastBatchLogs.loss, seen: this.seen, metrics };
    return this.carried === null ? current : mergePartial(this.carried, current);
  }
}

/** Batch-log keys that are not metrics (loss is merged on its own). */
const NOT_METRICS = ['batch', 'size', 'epoch', 'batches', 'samplesPerSecond', 'etaSeconds', 'loss'];

/**
 * A resumed epoch's logs cover only the batches after the checkpoint: weight the two parts by
 * their samples. (Exact for mean losses and accuracies up to float rounding; validation
 * numbers are computed whole and need no merging.)
 */
function mergeCarried(
  logs: Logs,
  carried: { loss: number; seen: number; metrics: Record<string, number> },
  seen: number,
): Record<string, number> {
  const merged: Record<string, number> = { ...logs };
  const total = carried.seen + seen;
  merged.loss = (carried.loss * carried.seen + logs.loss * seen) / total;
  for (const [key, value] of Object.entries(carried.metrics)) {
    if (logs[key] !== undefined) merged[key] = (value * carried.seen + logs[key] * seen) / total;
  }
  return merged;
}

function mergePartial(
  first: { loss: number; seen: number; metrics: Record<string, number> },
  second: { loss: number; seen: number; metrics: Record<string, number> },
) {
  const total = first.seen + second.seen;
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(second.metrics))
    metrics[key] = ((first.metrics[key] ?? value) * first.seen + value * second.seen) / total;
  return { loss: (first.loss * first.seen + second.loss * second.seen) / total, seen: total, metrics };
}
