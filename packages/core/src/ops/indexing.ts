import type { DType, TypedArray } from '../backend/kernel-backend.js';
import { runPrimitive } from '../autodiff/primitive.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Rows of `table` `[R, D]` picked by int32 `indices` (any shape): shape `[...indices, D]`.
 * Indices are checked on the host first, so an out-of-range id is a clear error, not garbage.
 */
export function gather(table: Tensor, indices: Tensor, context = 'gather'): Tensor {
  checkRowIndices(table, indices, context);
  return runPrimitive(table.engine, 'gather', [table, indices], {}, (backend) =>
    backend.gather(table.info, indices.info),
  )[0];
}

/**
 * The indices each `scatterAdd` result was built from, and once asked for, the distinct rows
 * they name. Kept beside the tensor rather than on it because only one consumer asks: an
 * optimizer with `sparseUpdates`, which then updates just those rows of an embedding table.
 */
const scatteredRows = new WeakMap<Tensor, { readonly ids: TypedArray; rows?: Int32Array }>();

/** A `[rows, D]` tensor of zeros with each row of `updates` added at its index (gather's adjoint). */
export function scatterAdd(indices: Tensor, updates: Tensor, rows: number): Tensor {
  const result = runPrimitive(updates.engine, 'scatterAdd', [indices, updates], { rows }, (backend) =>
    backend.scatterAdd(indices.info, updates.info, rows),
  )[0];
  scatteredRows.set(result, { ids: indices.read() });
  return result;
}

/**
 * The rows of `tensor` that can be nonzero (distinct, ascending) when it came straight from
 * `scatterAdd` (the gradient of an embedding table), otherwise undefined: every row may be.
 *
 * @example
 * const rows = nonzeroRows(embeddingGradient); // Int32Array [3, 17, 4051, ...]
 */
export function nonzeroRows(tensor: Tensor): Int32Array | undefined {
  const record = scatteredRows.get(tensor);
  if (record === undefined) return undefined;
  record.rows ??= Int32Array.from(new Set(record.ids)).sort();
  return record.rows;
}

export interface ScatterUpdateOptions {
  /** Names the operation in errors. Default 'scatterUpdate'. */
  readonly context?: string;
  /**
   * Gives `table` up: the call disposes it, and the backend may write the rows into its
   * storage instead of copying the whole table (`KernelBackend.scatterUpdate`'s `donateTable`).
   * For updates outside gradient recording, such as an optimizer's (`Variable.assignRows`).
   * Default false.
   */
  readonly donateTable?: boolean;
}

/**
 * A copy of `table` `[R, D]` with row `indices[k]` replaced by row k of `updates` `[K, D]`
 * (TensorFlow's tensor_scatter_update, for rows). `indices` is int32 `[K]` without repeats: a
 * repeated row would have two values and no rule for which one wins.
 *
 * @example
 * const next = scatterUpdate(embeddings, engine.tensor([3, 7], [2], 'int32'), newRows);
 */
export function scatterUpdate(
  table: Tensor,
  indices: Tensor,
  updates: Tensor,
  options: ScatterUpdateOptions = {},
): Tensor {
  const context = options.context ?? 'scatterUpdate';
  if (indices.rank !== 1)
    throw new ShapeError(`${context}: indices must be rank 1 [K], got ${formatShape(indices.shape)}.`);
  const ids = checkRowIndices(table, indices, context);
  if (updates.rank !== 2 || updates.shape[0] !== ids.length || updates.shape[1] !== table.shape[1]) {
    throw new ShapeError(
      `${context}: updates must have shape [${ids.length}, ${table.shape[1]}] (one row per index, the table's width), got ${formatShape(updates.shape)}.`,
    );
  }
  if (new Set(ids).size !== ids.length)
    throw new ValueError(`${context}: indices repeat a row; pass each row at most once.`);
  if (table.dtype !== 'float32' || updates.dtype !== 'float32') {
    throw new ValueError(
      `${context}: the table and the updates must be float32, got ${table.dtype} and ${updates.dtype}; cast them first.`,
    );
  }
  const donate = options.donateTable === true;
  if (donate && table.engine.tape !== null) {
    throw new ValueError(
      `${context}: donateTable disposes the table, which gradients being recorded may still need; update outside the gradient function.`,
    );
  }
  const result = runPrimitive(table.engine, 'scatterUpdate', [table, indices, updates], {}, (backend) =>
    backend.scatterUpdate(table.info, indices.info, updates.info, donate),
  )[0];
  if (donate) table.dispose();
  return result;
}

/** Checks that `indices` are int32 rows of the rank-2 `table`, and returns them as host values. */
function checkRowIndices(table: Tensor, indices: Tensor, context: string): TypedArray {
  if (table.rank !== 2) throw new ShapeError(`${context}: the table must be rank 2, got ${formatShape(table.shape)}.`);
  if (indices.dtype !== 'int32') throw new ValueError(`${context}: indices must be int32, got ${indices.dtype}.`);
  const rows = table.shape[0];
  const values = indices.read();
  for (let k = 0; k < values.length; k++) {
    const id = values[k];
    if (id < 0 || id >= rows) {
      throw new ValueError(
        `${context}: index ${id} (at position ${k}) is outside [0, ${rows - 1}]: the table has ${rows} rows.`,
      );
    }
  }
  return values;
}

/** Converts between float32 and int32 (truncating toward zero). */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return runPrimitive(x.engine, 'cast', [x], {}, (backend) => backend.cast(x.info, dtype))[0];
}
