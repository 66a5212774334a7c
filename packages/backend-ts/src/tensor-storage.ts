import type { DType, Shape, TensorInfo, TypedArray } from '@recur/core';
import { ShapeError, ValueError, formatShape, sizeOf } from '@recur/core';

/**
 * Design: the handle of a tensor in this backend is its typed array itself (Float32Array for
 * float32, Int32Array for int32), stored in row-major order. Tensors are immutable, so two
 * TensorInfos may share one array (reshape does), and freeing is left to the garbage collector.
 * The one exception is a donated table (`scatterUpdate`'s `donateTable`): its rows are written
 * in place when no other tensor shares its array, which is why sharing is recorded.
 */

/** Arrays that back more than one TensorInfo (a reshape and its source). */
const sharedStorage = new WeakSet<TypedArray>();

/** Records that `values` now backs one more tensor, so it is never written in place. */
export function shareStorage(values: TypedArray): TypedArray {
  sharedStorage.add(values);
  return values;
}

/**
 * The array to write a donated tensor's new values into: its own when `donated`, no other tensor
 * shares it and the kernel does not also read it as one of `reads` (then `beforeInPlace` hears of
 * it first, so prepared copies of it are dropped); otherwise a copy of it.
 */
export function writableStorage(
  tensor: TensorInfo,
  donated: boolean,
  reads: readonly TypedArray[],
  beforeInPlace: (values: TypedArray) => void,
): TypedArray {
  const values = valuesOf(tensor);
  if (donated && !sharedStorage.has(values) && !reads.includes(values)) {
    beforeInPlace(values);
    return values;
  }
  const copy = allocate(values.length, tensor.dtype);
  copy.set(values);
  return copy;
}

/** A fresh zero-filled array of the given dtype. */
export function allocate(size: number, dtype: DType): TypedArray {
  return dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
}

/** Wraps an array this backend owns as a tensor. The shape is copied so callers may reuse theirs. */
export function makeTensor(values: TypedArray, shape: Shape, dtype: DType): TensorInfo {
  if (values.length !== sizeOf(shape)) {
    throw new ShapeError(
      `${values.length} values cannot fill a tensor of shape ${formatShape(shape)} (${sizeOf(shape)} elements).`,
    );
  }
  return { handle: values, shape: Object.freeze([...shape]), dtype };
}

/** The array behind a tensor; throws for a handle another backend made. */
export function valuesOf(tensor: TensorInfo): TypedArray {
  const handle = tensor.handle;
  if (handle instanceof Float32Array || handle instanceof Int32Array) return handle;
  throw new ValueError('This tensor was not created by the ts backend; pass tensors to the backend that made them.');
}

/** The Float32Array behind a float32 tensor; kernels that compute in float32 call this. */
export function floatValuesOf(tensor: TensorInfo, operation: string): Float32Array {
  const values = valuesOf(tensor);
  if (values instanceof Float32Array) return values;
  throw new ValueError(`${operation} takes float32 tensors, got ${tensor.dtype}; cast it first.`);
}

/**
 * The rows a [K] int32 index tensor names in a table of `rows` rows, checked to be in range
 * before a kernel writes anything (core checks them too; a kernel that writes in place must not
 * stop halfway).
 */
export function rowIndicesOf(indices: TensorInfo, rows: number, operation: string): Int32Array {
  if (indices.shape.length !== 1)
    throw new ShapeError(`${operation} takes rank-1 row indices [K], got ${formatShape(indices.shape)}.`);
  const picks = intValuesOf(indices, operation);
  for (let k = 0; k < picks.length; k++) {
    if (!(picks[k] >= 0 && picks[k] < rows))
      throw new ValueError(`${operation}: row index ${picks[k]} (at position ${k}) is outside [0, ${rows - 1}].`);
  }
  return picks;
}

/** The Int32Array behind an int32 tensor (indices). */
export function intValuesOf(tensor: TensorInfo, operation: string): Int32Array {
  const values = valuesOf(tensor);
  if (values instanceof Int32Array) return values;
  throw new ValueError(`${operation} takes int32 indices, got ${tensor.dtype}; cast it first.`);
}
