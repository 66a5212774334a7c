import { Callback, type Logs } from '@recur/core';
import { formatDuration, formatLogs } from '../output/format-duration.js';

export interface ProgressBarOptions {
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Total epochs of the run (fit's own count restarts when training resumes). */
  readonly epochs: number;
  /** Batches already done in the first epoch shown (a resumed epoch). */
  readonly batchOffset?: number;
  /** Batches per full epoch. */
  readonly batchesPerEpoch: number;
}

const PROGRESS_KEYS = ['batch', 'size', 'epoch', 'batches', 'samplesPerSecond', 'etaSeconds'];
const BAR_WIDTH = 24;

/**
 * Keras-style progress: on a terminal one live line per epoch (bar, batch, samples/s, ETA,
 * loss and metrics), redrawn at most ten times a second; elsewhere (a pipe, a CI log) plain
 * lines, about ten per epoch, so logs stay readable. Each epoch ends with a summary line
 * including the validation numbers.
 *
 * @example
 * await model.fit(x, y, { callbacks: [new ProgressBar({ stream: process.stdout, epochs: 3, batchesPerEpoch: 400 })] });
 */
export class ProgressBar extends Callback {
  private readonly tty: boolean;
  private lastDraw = 0;
  private epochStarted = 0;
  private batchOffset: number;

  constructor(private readonly options: ProgressBarOptions) {
    super();
    this.tty = options.stream.isTTY === true;
    this.batchOffset = options.batchOffset ?? 0;
  }

  override onEpochBegin(epoch: number): void {
    this.epochStarted = performance.now();
    this.lastDraw = 0;
    this.write(
      `Epoch ${epoch + 1}/${this.options.epochs}${this.batchOffset > 0 ? ` (resumed at batch ${this.batchOffset + 1})` : ''}\n`,
    );
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    const total = this.options.batchesPerEpoch;
    const done = this.batchOffset + batch + 1;
    const last = done === total;
    const now = performance.now();
    const line = `${done}/${total}  ${Math.round(logs.samplesPerSecond)} samples/s  ETA ${formatDuration(logs.etaSeconds)}  ${formatLogs(logs, PROGRESS_KEYS)}`;
    if (this.tty) {
      if (!last && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const filled = Math.round((done / total) * BAR_WIDTH);
      const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (last ? '=' : '>') : ''}${' '.repeat(BAR_WIDTH - filled)}]`;
      const width = this.options.stream.columns ?? 120;
      this.write(`\r\x1b[2K${`${bar} ${line}`.slice(0, width - 1)}`);
      return;
    }
    const every = Math.max(1, Math.floor(total / 10));
    if (last || done % every === 0) this.write(`  batch ${line}\n`);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.tty) this.write('\n');
    this.write(`  ${formatDuration((performance.now() - this.epochStarted) / 1000)}  ${formatLogs(logs)}\n`);
    this.batchOffset = 0;
  }

  private write(text: string): void {
    this.options.stream.write(text);
  }
}
