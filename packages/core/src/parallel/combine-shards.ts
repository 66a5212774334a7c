import type { Engine } from '../engine/engine.js';
import { scatterAdd } from '../ops/indexing.js';
import type { Tensor } from '../tensor/tensor.js';
import type { StepResult } from '../training/train-step.js';
import type { TensorData } from '../data/tensor-data.js';
import type { ShardResult } from './data-parallel-protocol.js';
import { unpackArrays } from './pack-arrays.js';

/** A batch's gradients and step result, put together from its shards. */
export interface CombinedShards {
  /** Gradients of the trainable weights, in order (only `gradientRows`' rows where given). */
  readonly gradients: Float32Array[];
  /** Per gradient, the rows it holds when the shards sent rows (the union of theirs), else null. */
  readonly gradientRows: (Int32Array | null)[];
  readonly step: StepResult;
}

/**
 * Combines shard results (in shard order) into the batch's: with `D_s` the shard's loss
 * denominator and `D = max(sum D_s, 1)`, the loss is `sum(loss_s D_s) / D` and every gradient
 * `sum((D_s / D) g_s)`, summed in shard order into float32. Since a shard's mean loss is its own
 * sum over `D_s` (or 0 when every step is masked), this is the mean over the whole batch,
 * masked steps left out, as one piece would have it. The fixed order makes the sum the same
 * bits on every run, whichever thread computed each shard. Rows a shard did not send are zero
 * in its gradient and add nothing.
 */
export function combineShards(
  results: readonly ShardResult[],
  weightShapes: readonly (readonly number[])[],
  labels: TensorData,
  labelKind: StepResult['batch']['labelKind'],
): CombinedShards {
  const denominator = Math.max(
    results.reduce((total, result) => total + result.denominator, 0),
    1,
  );
  const shares = results.map((result) => result.denominator / denominator);
  const loss = results.reduce((total, result, s) => total + result.loss * shares[s], 0);
  const parts = results.map((result) =>
    unpackArrays(
      result.gradients,
      weightShapes.map((shape, k) => (result.gradientRows[k]?.length ?? shape[0]) * rowWidth(shape)),
    ),
  );
  const combined = weightShapes.map((shape, k) =>
    combineGradient(
      parts.map((part) => part[k]),
      results.map((result) => result.gradientRows[k]),
      shares,
      shape,
    ),
  );
  const outputs = concatenate(
    results.map((result) => result.batch.outputs),
    (length) => new Float32Array(length),
  );
  const first = results[0].batch;
  // Every shard of a batch runs the same model, so either all carry a mask or none does.
  const mask = first.mask
    ? concatenate(
        results.map((result) => result.batch.mask!),
        (length) => new Float32Array(length),
      )
    : null;
  const rows = results.reduce((total, result) => total + result.batch.outputShape[0], 0);
  return {
    gradients: combined.map((gradient) => gradient.values),
    gradientRows: combined.map((gradient) => gradient.rows),
    step: {
      loss,
      batch: {
        outputs,
        outputShape: [rows, ...first.outputShape.slice(1)],
        foldedActivation: first.foldedActivation,
        labels: labels.values,
        labelKind,
        mask,
      },
    },
  };
}

/**
 * The combined gradients as tensors of the weights' shapes. A gradient of some rows is
 * rebuilt by `scatterAdd`, as on one thread, so an optimizer with `sparseUpdates` sees which
 * rows the batch touched and takes the same lazy step it would take without threads.
 */
export function combinedGradientTensors(
  engine: Engine,
  combined: CombinedShards,
  weightShapes: readonly (readonly number[])[],
): Tensor[] {
  return combined.gradients.map((values, k) => {
    const shape = weightShapes[k];
    const rows = combined.gradientRows[k];
    if (rows === null) return engine.tensor(values, shape);
    return scatterAdd(
      engine.tensor(rows, [rows.length], 'int32'),
      engine.tensor(values, [rows.length, ...shape.slice(1)]),
      shape[0],
    );
  });
}

/** Values per row of a weight: 1 for a vector, the product of the trailing axes otherwise. */
function rowWidth(shape: readonly number[]): number {
  return shape.slice(1).reduce((product, dimension) => product * dimension, 1);
}

/**
 * `sum(shares[s] * parts[s])` for one weight, in shard order. When every shard sent rows, the
 * result holds the union of their rows (ascending); otherwise it is the dense gradient.
 */
function combineGradient(
  parts: readonly Float32Array[],
  partRows: readonly (Int32Array | null)[],
  shares: readonly number[],
  shape: readonly number[],
): { values: Float32Array; rows: Int32Array | null } {
  const width = rowWidth(shape);
  const union = partRows.every((rows) => rows !== null) ? rowUnion(partRows as readonly Int32Array[]) : null;
  const total = new Float32Array(union === null ? shape[0] * width : union.length * width);
  parts.forEach((part, s) => {
    const share = shares[s];
    const sent = partRows[s];
    if (union === null || sent === null) {
      // A shard that sent rows while another sent everything: its row j is row sent[j] of the whole.
      for (let j = 0, rows = part.length / width; j < rows; j++) {
        addScaledRow(total, (sent === null ? j : sent[j]) * width, part, j * width, width, share);
      }
      return;
    }
    // Both ascending: each sent row's slot in the union is found by walking forward.
    let slot = 0;
    for (let j = 0; j < sent.length; j++) {
      while (slot < union.length && union[slot] !== sent[j]) slot++;
      if (slot === union.length)
        throw new Error(
          `Data-parallel shard ${s} sent rows that are not distinct and ascending (row ${sent[j]} at ${j}).`,
        );
      addScaledRow(total, slot * width, part, j * width, width, share);
    }
  });
  return { values: total, rows: union };
}

/** total[to + c] += share * part[from + c] for c < width (each sum rounded to float32 as stored). */
function addScaledRow(
  total: Float32Array,
  to: number,
  part: Float32Array,
  from: number,
  width: number,
  share: number,
): void {
  for (let c = 0; c < width; c++) total[to + c] += share * part[from + c];
}

/** The distinct rows of all parts, ascending: a sort of the rows sent, whatever the table's size. */
function rowUnion(partRows: readonly Int32Array[]): Int32Array {
  const all = concatenate(partRows, (length) => new Int32Array(length)).sort();
  let count = 0;
  for (let k = 0; k < all.length; k++) if (k === 0 || all[k] !== all[k - 1]) all[count++] = all[k];
  return all.slice(0, count);
}

/** The shards' arrays end to end, in shard order, in a new array made by `create`. */
function concatenate<T extends Float32Array | Int32Array>(parts: readonly T[], create: (length: number) => T): T {
  const joined = create(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
