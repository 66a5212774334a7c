import type { TensorInfo } from '@recur/core';
import { ShapeError, formatShape } from '@recur/core';
import { allocate, intValuesOf, makeTensor, valuesOf } from '../tensor-storage.js';

/**
 * Rows of a [R, D] table picked by int32 indices of any shape: result [...indices.shape, D].
 * Indices are in range (core checks), so the kernel only copies rows.
 */
export function gather(table: TensorInfo, indices: TensorInfo): TensorInfo {
  if (table.shape.length !== 2) {
    throw new ShapeError(`gather takes a rank-2 table [rows, columns], got ${formatShape(table.shape)}.`);
  }
  const rows = valuesOf(table);
  const picks = intValuesOf(indices, 'gather');
  const width = table.shape[1];
  const output = allocate(picks.length * width, table.dtype);
  for (let k = 0; k < picks.length; k++) {
    const from = picks[k] * width;
    output.set(rows.subarray(from, from + width), k * width);
  }
  return makeTensor(output, [...indices.shape, width], table.dtype);
}

/**
 * The adjoint of gather: a [rows, D] zero tensor with each row of `updates`
 * ([...indices.shape, D]) added at its index. Repeated indices sum, in float64.
 */
export function scatterAdd(indices: TensorInfo, updates: TensorInfo, rows: number): TensorInfo {
  const picks = intValuesOf(indices, 'scatterAdd');
  const values = valuesOf(updates);
  const rank = indices.shape.length;
  const width = updates.shape[updates.shape.length - 1] ?? 0;
  const prefixMatches =
    updates.shape.length === rank + 1 && indices.shape.every((dimension, axis) => dimension === updates.shape[axis]);
  if (!prefixMatches) {
    throw new ShapeError(
      `scatterAdd updates must have shape [...indices.shape, D]; got indices ${formatShape(indices.shape)} ` +
        `and updates ${formatShape(updates.shape)}.`,
    );
  }
  const sums = new Float64Array(rows * width);
  for (let k = 0; k < picks.length; k++) {
    const to = picks[k] * width;
    const from = k * width;
    for (let column = 0; column < width; column++) sums[to + column] += values[from + column];
  }
  const output = allocate(sums.length, updates.dtype);
  output.set(sums);
  return makeTensor(output, [rows, width], updates.dtype);
}
