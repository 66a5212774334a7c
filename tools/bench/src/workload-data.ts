import { mulberry32 } from './mulberry32.js';
import { STREAM_VECTORS, type WorkloadName } from './workloads.js';

/** A host array with its shape, row-major. */
export interface HostArray<T extends Float32Array | Int32Array = Float32Array | Int32Array> {
  readonly shape: readonly number[];
  readonly values: T;
}

/**
 * One workload's synthetic batch. `x` is what the model takes (one-hot floats for charlm, int32
 * ids for sentiment, floats otherwise), `y` the training target (absent for stream), and `ids` /
 * `labels` the raw draws, for systems that take class ids instead of one-hot rows.
 */
export interface WorkloadData {
  readonly x: HostArray;
  readonly y?: HostArray<Float32Array>;
  readonly labels?: Int32Array;
}

const SEED = 42;

/**
 * Draws a workload's batch from mulberry32(42) in the order `workloads.md` fixes (batch-major,
 * all inputs first, then all targets).
 *
 * @example
 * const { x, y } = workloadData('timeseries'); // x: [32, 50, 1], y: [32, 1]
 */
export function workloadData(name: WorkloadName): WorkloadData {
  const u = mulberry32(SEED);
  switch (name) {
    case 'charlm': {
      const [batch, steps, vocab] = [128, 40, 64];
      const ids = Int32Array.from({ length: batch * steps }, () => Math.floor(u() * vocab));
      const labels = Int32Array.from({ length: batch }, () => Math.floor(u() * vocab));
      return {
        x: { shape: [batch, steps, vocab], values: oneHot(ids, vocab) },
        y: { shape: [batch, vocab], values: oneHot(labels, vocab) },
        labels,
      };
    }
    case 'sentiment': {
      const [batch, steps, vocab] = [32, 80, 20000];
      const ids = Int32Array.from({ length: batch * steps }, () => Math.floor(u() * vocab));
      const labels = Int32Array.from({ length: batch }, () => (u() < 0.5 ? 0 : 1));
      return {
        x: { shape: [batch, steps], values: ids },
        y: { shape: [batch, 1], values: Float32Array.from(labels) },
        labels,
      };
    }
    case 'timeseries': {
      const [batch, steps] = [32, 50];
      const x = Float32Array.from({ length: batch * steps }, () => 2 * u() - 1);
      const y = Float32Array.from({ length: batch }, () => 2 * u() - 1);
      return { x: { shape: [batch, steps, 1], values: x }, y: { shape: [batch, 1], values: y } };
    }
    case 'stream': {
      const x = Float32Array.from({ length: STREAM_VECTORS * 64 }, () => 2 * u() - 1);
      return { x: { shape: [STREAM_VECTORS, 64], values: x } };
    }
  }
}

function oneHot(ids: Int32Array, depth: number): Float32Array {
  const out = new Float32Array(ids.length * depth);
  ids.forEach((id, k) => {
    out[k * depth + id] = 1;
  });
  return out;
}
