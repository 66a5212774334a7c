import type { LabelKind } from '../losses/loss.js';

/**
 * One batch as the host sees it after a step: the model's outputs (logits when a final
 * activation was folded into the loss) and the labels, both flat row-major.
 */
export interface MetricBatch {
  readonly outputs: Float32Array;
  readonly outputShape: readonly number[];
  /** The final activation still to apply to `outputs` (they are its logits), or null. */
  readonly foldedActivation: 'softmax' | 'sigmoid' | null;
  readonly labels: Float32Array | Int32Array;
  readonly labelKind: LabelKind;
  /**
   * The `[N, T]` mask of a sequence output, flat, one weight per output row (0 for a padded
   * step); null or absent when every row counts. Metrics weigh each row by it, as Keras 3 does,
   * so padding counts no more in a metric than in the loss.
   */
  readonly mask?: Float32Array | null;
}

/**
 * Design: metrics run on the host over downloaded outputs, so they cost no device work and are
 * the same on every backend. A metric accumulates over an epoch (`update` per batch) and
 * reports the running value, as Keras's stateful metrics do.
 */
export interface Metric {
  /** The key in the logs (`accuracy`, `val_accuracy`). */
  readonly name: string;
  /** Whether larger is better (for EarlyStopping / ModelCheckpoint in `auto` mode). */
  readonly direction: 'up' | 'down';
  update(batch: MetricBatch): void;
  result(): number;
  reset(): void;
}
