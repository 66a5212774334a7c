import type { DType, TensorInfo } from '@recur/core';
import { allocate, makeTensor, valuesOf } from '../tensor-storage.js';

/**
 * The tensor converted to `dtype`. float32 -> int32 truncates toward zero (the typed-array
 * conversion, as tfjs does); a cast to the same dtype still returns a new tensor.
 */
export function cast(x: TensorInfo, dtype: DType): TensorInfo {
  const input = valuesOf(x);
  const output = allocate(input.length, dtype);
  output.set(input);
  return makeTensor(output, x.shape, dtype);
}
