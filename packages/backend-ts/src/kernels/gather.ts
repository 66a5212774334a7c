import type { TensorInfo, TypedArray } from '@recur/core';
import { ShapeError, formatShape } from '@recur/core';
import { allocate, intValuesOf, makeTensor, rowIndicesOf, valuesOf, writableStorage } from '../tensor-storage.js';

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
  // Sums are kept in float64 for the rows that are hit only: an embedding gradient touches a
  // few thousand of tens of thousands of rows, and a float64 copy of the whole table would cost
  // more than the scatter.
  const slotOfRow = new Int32Array(rows).fill(-1);
  const hitRows: number[] = [];
  for (let k = 0; k < picks.length; k++) {
    if (slotOfRow[picks[k]] < 0) slotOfRow[picks[k]] = hitRows.push(picks[k]) - 1;
  }
  const sums = new Float64Array(hitRows.length * width);
  for (let k = 0; k < picks.length; k++) {
    const to = slotOfRow[picks[k]] * width;
    const from = k * width;
    for (let column = 0; column < width; column++) sums[to + column] += values[from + column];
  }
  const output = allocate(rows * width, updates.dtype);
  hitRows.forEach((row, slot) => output.set(sums.subarray(slot * width, (slot + 1) * width), row * width));
  return makeTensor(output, [rows, width], updates.dtype);
}

/**
 * A copy of the [R, D] table with row indices[k] replaced by row k of updates [K, D]. Indices
 * are in range and distinct (core checks), so the order of the writes does not matter.
 *
 * A donated table (`donateTable`: its caller releases it right after) has the rows written into
 * its own array when no other tensor shares that array and the updates are not read from it;
 * `beforeInPlace` first tells whoever prepared copies of the array that its values change.
 */
export function scatterUpdate(
  table: TensorInfo,
  indices: TensorInfo,
  updates: TensorInfo,
  donateTable: boolean,
  beforeInPlace: (values: TypedArray) => void,
): TensorInfo {
  if (table.shape.length !== 2) {
    throw new ShapeError(`scatterUpdate takes a rank-2 table [rows, columns], got ${formatShape(table.shape)}.`);
  }
  const width = table.shape[1];
  const picks = rowIndicesOf(indices, table.shape[0], 'scatterUpdate');
  if (updates.shape.length !== 2 || updates.shape[0] !== picks.length || updates.shape[1] !== width) {
    throw new ShapeError(
      `scatterUpdate updates must have shape [${picks.length}, ${width}], got ${formatShape(updates.shape)}.`,
    );
  }
  const rows = valuesOf(updates);
  const output = writableStorage(table, donateTable, [rows], beforeInPlace);
  for (let k = 0; k < picks.length; k++) output.set(rows.subarray(k * width, (k + 1) * width), picks[k] * width);
  return makeTensor(output, [...table.shape], table.dtype);
}
