import type { TensorInfo } from '@recur/core';
import { ShapeError, formatShape } from '@recur/core';
import { floatTensorOf, produce, type TfTensor, type Tfjs } from '../tensor-handle.js';

/**
 * Matrix product of rank-2 tensors, or of rank-3 tensors batched over the first axis; the
 * flags transpose the last two axes.
 *
 * Why the transposes are explicit instead of tfjs's matMul flags: the wasm backend hands a
 * product with a transpose flag to a slow generic loop (measured 40x slower for a
 * [1280, 64]ᵀ · [1280, 512] product), while an explicit transpose followed by a plain product
 * takes XNNPACK's fast path; on cpu both cost about the same.
 */
export function matmul(tf: Tfjs, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  const left = floatTensorOf(tf, a, 'matmul');
  const right = floatTensorOf(tf, b, 'matmul');
  const rank = a.shape.length;
  if (rank !== b.shape.length || (rank !== 2 && rank !== 3) || (rank === 3 && a.shape[0] !== b.shape[0])) {
    throw new ShapeError(
      `matmul needs two rank-2 tensors or two rank-3 tensors with the same batch size; got ${formatShape(a.shape)} and ${formatShape(b.shape)}.`,
    );
  }
  return produce(tf, () => product(tf, left, right, transposeA, transposeB));
}

/** `a · b` with optional transposes of the last two axes, inside the caller's tf.tidy. */
export function product(tf: Tfjs, a: TfTensor, b: TfTensor, transposeA = false, transposeB = false): TfTensor {
  return tf.matMul(transposeA ? swapLastAxes(tf, a) : a, transposeB ? swapLastAxes(tf, b) : b);
}

function swapLastAxes(tf: Tfjs, x: TfTensor): TfTensor {
  return tf.transpose(x, x.rank === 2 ? [1, 0] : [0, 2, 1]);
}
