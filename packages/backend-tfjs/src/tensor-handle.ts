import type * as tfjsCore from '@tensorflow/tfjs-core';
import type { DType, Shape, TensorInfo } from '@recur/core';
import { ShapeError, ValueError, formatShape, sizeOf } from '@recur/core';

/**
 * Design: the handle of a tensor in this backend is a TensorFlow.js tensor. Every primitive
 * runs its tfjs ops inside `tf.tidy` (so intermediates are freed) and `tf.keep`s the one
 * result, so a caller's own enclosing `tf.tidy` never frees a tensor Recur still owns; Recur
 * frees it through `release` (tensor.dispose). tfjs reshape shares storage under a reference
 * count, so two handles may share data and each can still be disposed on its own.
 */

/** The TensorFlow.js namespace this backend computes with (`@tensorflow/tfjs` or `-core`). */
export type Tfjs = typeof tfjsCore;
export type TfTensor = tfjsCore.Tensor;

/** Wraps a tfjs tensor as a TensorInfo; only float32 and int32 tensors exist in Recur. */
export function tensorInfo(tensor: TfTensor): TensorInfo {
  const dtype = tensor.dtype;
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new ValueError(`A tfjs kernel produced a ${dtype} tensor; Recur tensors are float32 or int32.`);
  }
  return { handle: tensor, shape: Object.freeze([...tensor.shape]), dtype };
}

/** Runs `compute` in a tfjs disposal scope and returns its one result, kept and wrapped. */
export function produce(tf: Tfjs, compute: () => TfTensor): TensorInfo {
  return tensorInfo(tf.keep(tf.tidy(compute)));
}

/** The tfjs tensor behind a TensorInfo; throws for a handle another backend made. */
export function tensorOf(tf: Tfjs, info: TensorInfo): TfTensor {
  const handle = info.handle;
  if (handle instanceof tf.Tensor) {
    if (handle.isDisposed) {
      throw new ValueError(`A tfjs tensor of shape ${formatShape(info.shape)} was used after it was released.`);
    }
    return handle;
  }
  throw new ValueError('This tensor was not created by the tfjs backend; pass tensors to the backend that made them.');
}

/** The tfjs tensor behind a float32 TensorInfo; kernels that compute in float32 call this. */
export function floatTensorOf(tf: Tfjs, info: TensorInfo, operation: string): TfTensor {
  if (info.dtype !== 'float32')
    throw new ValueError(`${operation} takes float32 tensors, got ${info.dtype}; cast it first.`);
  return tensorOf(tf, info);
}

/** The tfjs tensor behind an int32 TensorInfo (indices). */
export function intTensorOf(tf: Tfjs, info: TensorInfo, operation: string): TfTensor {
  if (info.dtype !== 'int32')
    throw new ValueError(`${operation} takes int32 indices, got ${info.dtype}; cast it first.`);
  return tensorOf(tf, info);
}

/** Checks that `length` values fill `shape`, naming both otherwise. */
export function checkSize(length: number, shape: Shape): void {
  if (length !== sizeOf(shape)) {
    throw new ShapeError(
      `${length} values cannot fill a tensor of shape ${formatShape(shape)} (${sizeOf(shape)} elements).`,
    );
  }
}

/** Whether `dtype` is one Recur knows. */
export function checkDType(dtype: DType, operation: string): void {
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new ValueError(`${operation}: dtype must be 'float32' or 'int32', got ${JSON.stringify(dtype)}.`);
  }
}

/**
 * Runs `compute` in a tfjs disposal scope and returns its results, kept and wrapped. A result
 * that is one of `inputs` (e.g. a state carried through a fully masked sequence) is cloned, so
 * every returned handle is a tensor the caller can release on its own.
 */
export function produceAll(tf: Tfjs, inputs: readonly TfTensor[], compute: () => TfTensor[]): TensorInfo[] {
  const results = tf.tidy(() => compute().map((tensor) => (inputs.includes(tensor) ? tf.clone(tensor) : tensor)));
  return results.map((tensor) => tensorInfo(tf.keep(tensor)));
}
