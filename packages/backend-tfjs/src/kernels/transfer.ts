import type { DType, Shape, TensorInfo, TypedArray } from '@recur/core';
import { ValueError } from '@recur/core';
import { checkDType, checkSize, produce, tensorOf, type Tfjs } from '../tensor-handle.js';

/**
 * Host <-> tfjs copies. tfjs's cpu backend keeps the very array it is given and hands back its
 * own storage from `dataSync`, so both directions copy: the caller may reuse what it uploaded,
 * and may write into what it downloaded, without touching a live tensor.
 */
export function upload(tf: Tfjs, values: TypedArray, shape: Shape, dtype: DType): TensorInfo {
  checkDType(dtype, 'upload');
  checkSize(values.length, shape);
  const copy = dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  return produce(tf, () => tf.tensor(copy, [...shape], dtype));
}

export function download(tf: Tfjs, info: TensorInfo): TypedArray {
  const values = tensorOf(tf, info).dataSync();
  if (info.dtype === 'int32') return Int32Array.from(values as ArrayLike<number>);
  if (info.dtype === 'float32') return Float32Array.from(values as ArrayLike<number>);
  throw new ValueError(`download: unexpected dtype ${String(info.dtype)}.`);
}
