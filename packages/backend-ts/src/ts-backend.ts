import type { DType, FusedSequenceKernel, KernelBackend, Shape, TensorInfo, TypedArray } from '@recur/core';
import { KERNEL_CONTRACT_VERSION, ShapeError, ValueError, formatShape } from '@recur/core';
import { allocate, makeTensor, sizeOf, valuesOf } from './tensor-storage.js';
import { adamStep, adamStepRows } from './kernels/adam-step.js';
import { binary } from './kernels/binary.js';
import { cast } from './kernels/cast.js';
import { fill } from './kernels/fill.js';
import { gather, scatterAdd, scatterUpdate } from './kernels/gather.js';
import { forgetKeptBlock, withMatrixKernels } from './kernels/gemm.js';
import { gruSequence } from './kernels/gru-sequence.js';
import { concat, reshape, reverse, slice, transpose } from './kernels/layout.js';
import { lstmSequence } from './kernels/lstm-sequence.js';
import { matmul } from './kernels/matmul.js';
import { reduce } from './kernels/reduce.js';
import { simpleRnnSequence } from './kernels/simple-rnn-sequence.js';
import { unary } from './kernels/unary.js';
import type { MatrixKernels } from './matrix-kernels.js';

export interface TsBackendOptions {
  /**
   * Matrix products to use instead of the TypeScript ones, for example
   * `await loadWasmKernels()` from `@recur/wasm-kernels` (WebAssembly SIMD). They take over
   * every dense product: the `matmul` primitive and the GEMMs inside the fused LSTM, GRU and
   * SimpleRNN kernels, per time step included; kernels with `lstmCellForward` /
   * `lstmCellBackward` also take the standard LSTM cell's element-wise step. Default: none
   * (pure TypeScript).
   */
  readonly kernels?: MatrixKernels;
}

/**
 * The pure-TypeScript backend: tensors are Float32Array / Int32Array in row-major order, every
 * primitive is a plain loop, and the fused LSTM, GRU and SimpleRNN kernels carry their own
 * backward passes. It has no dependencies and runs anywhere JavaScript runs.
 *
 * Each call returns a new, independent backend object; nothing is registered globally. With
 * `options.kernels` the matrix products run in the given kernels (see `MatrixKernels`); the
 * backend is named `ts+<kernels name>` then.
 *
 * @example
 * ```ts
 * import { tsBackend } from '@recur/backend-ts';
 * const backend = tsBackend(); // or tsBackend({ kernels: await loadWasmKernels() })
 * const a = backend.upload(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
 * const product = backend.matmul(a, a, false, false);
 * backend.download(product); // Float32Array [7, 10, 15, 22]
 * ```
 */
export function tsBackend(options: TsBackendOptions = {}): KernelBackend {
  const kernels = options.kernels;
  if (kernels !== undefined && typeof (kernels as Partial<MatrixKernels>).gemm !== 'function') {
    const hint = kernels instanceof Promise ? ' It is a Promise: await loadWasmKernels() first.' : '';
    throw new ValueError(`tsBackend: options.kernels must be a MatrixKernels object with a gemm function.${hint}`);
  }
  // Donated tables are written in place only when every keeper of prepared copies can be told
  // first: kernels without `release` may hold packed copies of any tensor storage.
  const inPlaceAllowed = kernels === undefined || kernels.release !== undefined;
  return {
    contractVersion: KERNEL_CONTRACT_VERSION,
    name: kernels === undefined ? 'ts' : `ts+${kernels.name}`,

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
    // Plugged-in kernels hear of it, to reuse the memory of what they prepared from the storage.
    release: kernels?.release === undefined ? () => {} : (tensor: TensorInfo) => releaseFromKernels(kernels, tensor),

    fill,
    cast,
    unary,
    binary,
    matmul: kernels === undefined ? matmul : (a, b, transposeA, transposeB) => withMatrixKernels(kernels, () => matmul(a, b, transposeA, transposeB)),
    reduce,
    reshape,
    transpose,
    slice,
    concat,
    reverse,
    gather,
    scatterAdd,
    scatterUpdate: (table, indices, updates, donateTable = false) =>
      scatterUpdate(table, indices, updates, donateTable && inPlaceAllowed, (values) => forgetPreparedCopies(kernels, values)),
    adamStep,
    adamStepRows: (weight, gradientRows, m, v, vHat, indices, scalars, donate) =>
      adamStepRows(weight, gradientRows, m, v, vHat, indices, scalars, donate && inPlaceAllowed, (values) => forgetPreparedCopies(kernels, values)),
    lstmSequence: withKernels(lstmSequence, kernels),
    gruSequence: withKernels(gruSequence, kernels),
    simpleRnnSequence: withKernels(simpleRnnSequence, kernels),
  };
}

/** Drops every prepared copy of `values` (the GEMM's kept block, the kernels' packed operands) before it is written in place. */
function forgetPreparedCopies(kernels: MatrixKernels | undefined, values: TypedArray): void {
  if (!(values instanceof Float32Array)) return;
  forgetKeptBlock(values);
  kernels?.release?.(values);
}

function releaseFromKernels(kernels: MatrixKernels, tensor: TensorInfo): void {
  const values = tensor.handle;
  if (values instanceof Float32Array) kernels.release!(values);
}

/** The fused kernel with `kernels` current in its forward and backward passes (itself without kernels). */
function withKernels(sequence: FusedSequenceKernel, kernels: MatrixKernels | undefined): FusedSequenceKernel {
  if (kernels === undefined) return sequence;
  return {
    supports: sequence.supports,
    forward: (config, inputs) => withMatrixKernels(kernels, () => sequence.forward(config, inputs)),
    backward: (config, inputs, outputs, grads) => withMatrixKernels(kernels, () => sequence.backward(config, inputs, outputs, grads)),
  };
}
