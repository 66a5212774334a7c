import type { DType, TensorInfo } from '@recur/core';
import { checkDType, produce, tensorOf, type Tfjs } from '../tensor-handle.js';

/**
 * The tensor converted to `dtype`. float32 -> int32 truncates toward zero (tfjs's cast on cpu
 * and wasm); a cast to the same dtype still returns a new tensor.
 */
export function cast(tf: Tfjs, x: TensorInfo, dtype: DType): TensorInfo {
  checkDType(dtype, 'cast');
  const input = tensorOf(tf, x);
  return produce(tf, () => (input.dtype === dtype ? tf.clone(input) : tf.cast(input, dtype)));
}
