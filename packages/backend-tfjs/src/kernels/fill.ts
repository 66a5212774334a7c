import type { DType, Shape, TensorInfo } from '@recur/core';
import { checkDType, produce, type Tfjs } from '../tensor-handle.js';

/** A tensor of `shape` with every element `value` (truncated toward zero for int32). */
export function fill(tf: Tfjs, shape: Shape, value: number, dtype: DType): TensorInfo {
  checkDType(dtype, 'fill');
  const filled = dtype === 'int32' ? Math.trunc(value) : value;
  return produce(tf, () => tf.fill([...shape], filled, dtype));
}
