import type { DType } from '../backend/kernel-backend.js';
import { runPrimitive } from '../autodiff/primitive.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Rows of `table` `[R, D]` picked by int32 `indices` (any shape): shape `[...indices, D]`.
 * Indices are checked on the host first, so an out-of-range id is a clear error, not garbage.
 */
export function gather(table: Tensor, indices: Tensor, context = 'gather'): Tensor {
  if (table.rank !== 2) throw new ShapeError(`${context}: the table must be rank 2, got ${formatShape(table.shape)}.`);
  if (indices.dtype !== 'int32') throw new ValueError(`${context}: indices must be int32, got ${indices.dtype}.`);
  const rows = table.shape[0];
  const values = indices.read();
  for (let k = 0; k < values.length; k++) {
    const id = values[k];
    if (id < 0 || id >= rows) {
      throw new ValueError(`${context}: index ${id} (at position ${k}) is outside [0, ${rows - 1}]: the table has ${rows} rows.`);
    }
  }
  return runPrimitive(table.engine, 'gather', [table, indices], {}, (backend) => backend.gather(table.info, indices.info))[0];
}

/** A `[rows, D]` tensor of zeros with each row of `updates` added at its index (gather's adjoint). */
export function scatterAdd(indices: Tensor, updates: Tensor, rows: number): Tensor {
  return runPrimitive(updates.engine, 'scatterAdd', [indices, updates], { rows }, (backend) =>
    backend.scatterAdd(indices.info, updates.info, rows),
  )[0];
}

/** Converts between float32 and int32 (truncating toward zero). */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return runPrimitive(x.engine, 'cast', [x], {}, (backend) => backend.cast(x.info, dtype))[0];
}
