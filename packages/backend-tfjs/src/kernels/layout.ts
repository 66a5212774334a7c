import type { Shape, TensorInfo } from '@recur/core';
import { ShapeError, formatShape } from '@recur/core';
import { checkSize, produce, tensorOf, type Tfjs } from '../tensor-handle.js';

/**
 * Layout primitives: tfjs ops of the same names. reshape shares storage with its input under
 * tfjs's reference count; the rest copy. Each returns a new tfjs tensor even when the layout
 * does not change, so core can release every result on its own.
 */

export function reshape(tf: Tfjs, x: TensorInfo, shape: Shape): TensorInfo {
  checkSize(
    x.shape.reduce((product, dimension) => product * dimension, 1),
    shape,
  );
  const input = tensorOf(tf, x);
  return produce(tf, () => tf.reshape(input, [...shape]));
}

export function transpose(tf: Tfjs, x: TensorInfo, perm: readonly number[]): TensorInfo {
  const input = tensorOf(tf, x);
  return produce(tf, () => tf.transpose(input, [...perm]));
}

export function slice(tf: Tfjs, x: TensorInfo, begin: readonly number[], size: readonly number[]): TensorInfo {
  const input = tensorOf(tf, x);
  return produce(tf, () => tf.slice(input, [...begin], [...size]));
}

export function concat(tf: Tfjs, tensors: readonly TensorInfo[], axis: number): TensorInfo {
  if (tensors.length === 0) throw new ShapeError('concat needs at least one tensor.');
  const inputs = tensors.map((tensor) => tensorOf(tf, tensor));
  const dtype = tensors[0].dtype;
  if (tensors.some((tensor) => tensor.dtype !== dtype)) {
    throw new ShapeError(
      `concat needs tensors of one dtype, got ${tensors.map((tensor) => `${tensor.dtype} ${formatShape(tensor.shape)}`).join(', ')}.`,
    );
  }
  return produce(tf, () => (inputs.length === 1 ? tf.clone(inputs[0]) : tf.concat(inputs, axis)));
}

export function reverse(tf: Tfjs, x: TensorInfo, axis: number): TensorInfo {
  const input = tensorOf(tf, x);
  return produce(tf, () => tf.reverse(input, axis));
}
