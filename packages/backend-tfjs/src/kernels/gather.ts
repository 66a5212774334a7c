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
