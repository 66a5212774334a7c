import { checkOptionNames } from '../../option-checks.js';
import { ValueError } from '../../errors.js';
import type { Sequential } from '../../models/sequential.js';
import { Callback, type Logs } from './callback.js';
import { formatCheckpointPath } from './checkpoint-path.js';
import { Monitor, type MonitorMode } from './monitor.js';

/**
 * Writes a model to `path`. Core stays free of file systems (it runs in browsers): the Node
 * writer comes from `@recur/core/io`, and a browser app can pass its own (IndexedDB, download).
 */
export type SaveModel = (model: Sequential, path: string) => void | Promise<void>;

export interface ModelCheckpointOptions {
  /** Where to save; may hold `{epoch}` and log keys, e.g. `ckpt/epoch-{epoch:02d}-{val_loss:.3f}`. */
  readonly filepath: string;
  /** The writer, e.g. `saveModel` from `@recur/core/io`. */
  readonly save: SaveModel;
  /** Default `val_loss`. */
  readonly monitor?: string;
  /** Save only when the monitored value improves. Default false (save every epoch). */
  readonly saveBestOnly?: boolean;
  /** Default `auto` (accuracies up, losses down). */
  readonly mode?: MonitorMode;
  /** With saveBestOnly, the value the first save must beat. Default none. */
  readonly initialValueThreshold?: number;
}

/**
 * Saves the model at the end of every epoch, or only when the monitored value improves
 * (Keras `ModelCheckpoint`). The save is awaited before training continues.
 *
 * @example
 * new ModelCheckpoint({ filepath: 'best-model', save: saveModel, saveBestOnly: true })
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: Monitor;
  readonly saveBestOnly: boolean;
  /** The best monitored value so far (with saveBestOnly). */
  best: number | null;
  /** Every path saved to, in order. */
  readonly savedPaths: string[] = [];
  private readonly save: SaveModel;
  private readonly initialBest: number | null;

  constructor(options: ModelCheckpointOptions) {
    super();
    checkOptionNames('ModelCheckpoint', options, [
      'filepath',
      'save',
      'monitor',
      'saveBestOnly',
      'mode',
      'initialValueThreshold',
    ]);
    if (typeof options.filepath !== 'string' || options.filepath === '')
      throw new ValueError("ModelCheckpoint: 'filepath' must be a non-empty string.");
    if (typeof options.save !== 'function') {
      throw new ValueError(
        "ModelCheckpoint: 'save' must be a function (model, path) => Promise<void>, e.g. saveModel from '@recur/core/io'.",
      );
    }
    this.filepath = options.filepath;
    this.save = options.save;
    this.monitor = new Monitor('ModelCheckpoint', options.monitor ?? 'val_loss', options.mode ?? 'auto', 0);
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.initialBest = options.initialValueThreshold ?? null;
    this.best = this.initialBest;
  }

  override onTrainBegin(): void {
    this.best = this.initialBest;
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.saveBestOnly) {
      const current = this.monitor.read(logs, 'ModelCheckpoint');
      if (!this.monitor.isImprovement(current, this.best)) return;
      this.best = current;
    }
    const path = formatCheckpointPath(this.filepath, epoch, logs);
    await this.save(this.model, path);
    this.savedPaths.push(path);
  }
}
