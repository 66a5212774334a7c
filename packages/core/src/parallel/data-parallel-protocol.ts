import type { TensorData } from '../data/tensor-data.js';
import type { ModelSpec } from '../models/sequential.js';
import type { MetricBatch } from '../training/metrics/metric.js';
import type { WeightUpdate } from './weight-sync.js';

/**
 * How a worker thread creates its backend, since functions cannot cross threads: it imports
 * `module` and calls its export `factory` with `options` (which must survive structured clone);
 * the factory may return the backend or a promise of it. The worker's backend must compute as
 * the model's does (same backend, same kernels), or the shards computed there would differ.
 */
export interface WorkerBackendSpec {
  /**
   * What the worker imports: an absolute `file:` URL or path, or a package name that resolves
   * from `@recur/core` itself. Under pnpm's strict layout pass `import.meta.resolve('@recur/backend-ts')`.
   */
  readonly module: string;
  /** The export to call, e.g. `'tsBackend'`. */
  readonly factory: string;
  /** The factory's argument. */
  readonly options?: unknown;
}

/** One shard of a batch to compute: its rows, and the seed its dropout masks are drawn from. */
export interface ShardTask {
  readonly index: number;
  readonly x: TensorData;
  readonly y: TensorData;
  readonly seed: number;
}

/** A shard's results as they travel: gradients packed into one array, in trainable-weight order. */
export interface ShardResult {
  readonly index: number;
  readonly loss: number;
  readonly denominator: number;
  readonly gradients: Float32Array;
  /** Per gradient, its rows when it holds only some (see `ShardGradients.gradientRows`). */
  readonly gradientRows: (Int32Array | null)[];
  readonly batch: MetricBatch;
}

/** Messages from the trainer to a worker. */
export type TrainerMessage =
  | {
      readonly type: 'init';
      readonly spec: ModelSpec;
      readonly backend: WorkerBackendSpec;
      readonly backendName: string;
      readonly loss: string;
    }
  /** `weights` brings the worker's copy of every weight (in `model.weights` order) up to date. */
  | { readonly type: 'step'; readonly weights: readonly WeightUpdate[]; readonly shards: readonly ShardTask[] };

/** Messages from a worker to the trainer: one reply per request. */
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'gradients'; readonly results: readonly ShardResult[] }
  | { readonly type: 'failed'; readonly message: string };
