import type { DType, KernelBackend, Shape, TensorInfo, TypedArray } from '@recur/core';
import { KERNEL_CONTRACT_VERSION, ShapeError, formatShape } from '@recur/core';
import { allocate, makeTensor, sizeOf, valuesOf } from './tensor-storage.js';
import { binary } from './kernels/binary.js';
import { cast } from './kernels/cast.js';
import { fill } from './kernels/fill.js';
import { gather, scatterAdd } from './kernels/gather.js';
import { gruSequence } from './kernels/gru-sequence.js';
import { concat, reshape, reverse, slice, transpose } from './kernels/layout.js';
import { lstmSequence } from './kernels/lstm-sequence.js';
import { matmul } from './kernels/matmul.js';
import { reduce } from './kernels/reduce.js';
import { simpleRnnSequence } from './kernels/simple-rnn-sequence.js';
import { unary } from './kernels/unary.js';

/**
 * The pure-TypeScript backend: tensors are Float32Array / Int32Array in row-major order, every
 * primitive is a plain loop, and the fused LSTM, GRU and SimpleRNN kernels carry their own
 * backward passes. It has no dependencies and runs anywhere JavaScript runs.
 *
 * Each call returns a new, independent backend object; nothing is registered globally.
 *
 * @example
 * ```ts
 * import { tsBackend } from '@recur/backend-ts';
 * const backend = tsBackend();
 * const a = backend.upload(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
 * const product = backend.matmul(a, a, false, false);
 * backend.download(product); // Float32Array [7, 10, 15, 22]
 * ```
 */
export function tsBackend(): KernelBackend {
  return {
    contractVersion: KERNEL_CONTRACT_VERSION,
    name: 'ts',

    upload(values: TypedArray, shape: Shape, dtype: DType): TensorInfo {
      if (values.length !== sizeOf(shape)) {
        throw new ShapeError(
          `${values.length} values cannot fill a tensor of shape ${formatShape(shape)} (${sizeOf(shape)} elements).`,
        );
      }
      // Always copy: the caller keeps ownership of `values` and may reuse it.
      const copy = allocate(values.length, dtype);
      copy.set(values);
      return makeTensor(copy, shape, dtype);
    },

    download(tensor: TensorInfo): TypedArray {
      return valuesOf(tensor).slice();
    },

    // Storage is garbage-collected; reshape may share it with a live tensor, so nothing is freed.
    release(): void {},

    fill,
    cast,
    unary,
    binary,
    matmul,
    reduce,
    reshape,
    transpose,
    slice,
    concat,
    reverse,
    gather,
    scatterAdd,
    lstmSequence,
    gruSequence,
    simpleRnnSequence,
  };
}
