import type { TensorInfo } from '@recur/core';
import { ShapeError, formatShape } from '@recur/core';
import { intTensorOf, produce, tensorOf, type Tfjs } from '../tensor-handle.js';

/** Rows of a [R, D] table picked by int32 indices of any shape: result [...indices.shape, D]. */
export function gather(tf: Tfjs, table: TensorInfo, indices: TensorInfo): TensorInfo {
  if (table.shape.length !== 2) {
    throw new ShapeError(`gather takes a rank-2 table [rows, columns], got ${formatShape(table.shape)}.`);
  }
  const rows = tensorOf(tf, table);
  const picks = intTensorOf(tf, indices, 'gather');
  return produce(tf, () => tf.gather(rows, picks, 0));
}

/**
 * The adjoint of gather: a [rows, D] zero tensor with each row of `updates` ([...indices.shape,
 * D]) added at its index; repeated indices sum.
 *
 * Why ScatterNd: the natural kernel, UnsortedSegmentSum, is missing from tfjs's wasm backend,
 * while ScatterNd is registered on cpu, wasm and webgl and sums updates that share an index.
 * A one-hot matmul would also work everywhere but costs rows x K x D.
 */
export function scatterAdd(tf: Tfjs, indices: TensorInfo, updates: TensorInfo, rows: number): TensorInfo {
  const rank = indices.shape.length;
  const prefixMatches =
    updates.shape.length === rank + 1 && indices.shape.every((dimension, axis) => dimension === updates.shape[axis]);
  if (!prefixMatches) {
    throw new ShapeError(
      `scatterAdd updates must have shape [...indices.shape, D]; got indices ${formatShape(indices.shape)} and updates ${formatShape(updates.shape)}.`,
    );
  }
  const picks = intTensorOf(tf, indices, 'scatterAdd');
  const values = tensorOf(tf, updates);
  const width = updates.shape[rank];
  const count = picks.size;
  return produce(tf, () => {
    if (count === 0 || width === 0) return tf.zeros([rows, width], updates.dtype);
    return tf.scatterND(tf.reshape(picks, [count, 1]), tf.reshape(values, [count, width]), [rows, width]);
  });
}

/**
 * A copy of the [R, D] table with row indices[k] replaced by row k of updates [K, D] (indices
 * distinct).
 *
 * Why not TensorScatterUpdate: in tfjs 4.22 its cpu kernel writes the updates into the input
 * table's own buffer (the conformance suite's "inputs must never be mutated" check caught it),
 * and Recur's tensors are immutable. Two ScatterNd and a select are exact and mutate nothing.
 */
export function scatterUpdate(tf: Tfjs, table: TensorInfo, indices: TensorInfo, updates: TensorInfo): TensorInfo {
  if (table.shape.length !== 2) {
    throw new ShapeError(`scatterUpdate takes a rank-2 table [rows, columns], got ${formatShape(table.shape)}.`);
  }
  const width = table.shape[1];
  const count = indices.shape[0] ?? 0;
  if (updates.shape.length !== 2 || updates.shape[0] !== count || updates.shape[1] !== width) {
    throw new ShapeError(
      `scatterUpdate updates must have shape [${count}, ${width}], got ${formatShape(updates.shape)}.`,
    );
  }
  const rows = tensorOf(tf, table);
  const picks = intTensorOf(tf, indices, 'scatterUpdate');
  const values = tensorOf(tf, updates);
  return produce(tf, () => {
    if (count === 0) return tf.clone(rows);
    const at = tf.reshape(picks, [count, 1]);
    const replaced = tf.scatterND(at, tf.ones([count, width]), [table.shape[0], width]);
    return tf.where(tf.greater(replaced, 0), tf.scatterND(at, values, [table.shape[0], width]), rows);
  });
}
