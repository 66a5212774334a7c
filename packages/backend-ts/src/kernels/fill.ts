import type { DType, Shape, TensorInfo } from '@recur/core';
import { sizeOf } from '@recur/core';
import { allocate, makeTensor } from '../tensor-storage.js';

/** A tensor of `shape` with every element `value` (truncated toward zero for int32). */
export function fill(shape: Shape, value: number, dtype: DType): TensorInfo {
  const output = allocate(sizeOf(shape), dtype);
  if (value !== 0) output.fill(value);
  return makeTensor(output, shape, dtype);
}
