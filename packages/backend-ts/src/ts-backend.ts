import type { DType, KernelBackend, Shape, TensorInfo, TypedArray } from '@recur/core';
import { KERNEL_CONTRACT_VERSION, ShapeError, ValueError, formatShape, sizeOf } from '@recur/core';
import { allocate, makeTensor, valuesOf } from './tensor-storage.js';
import { adamStep, adamStepRows } from './kernels/adam-step.js';
import { binary } from './kernels/binary.js';
import { cast } from './kernels/cast.js';
import { fill } from './kernels/fill.js';
import { gather, scatterAdd, scatterUpdate } from './kernels/gather.js';
import { createGemmContext, forgetKeptBlock, type GemmContext } from './kernels/gemm.js';
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
   * Matrix products to use instead of the TypeScript ones. They take over every dense product
   * of this instance: the `matmul` primitive and the GEMMs inside the fused LSTM, GRU and
   * SimpleRNN kernels, per time step included. Default: none (pure TypeScript).
   * `withWasmKernels` from `@recur/wasm-kernels` passes its WebAssembly products here.
   */
  readonly matrixKernels?: MatrixKernels;
}

/**
 * The pure-TypeScript backend: tensors are Float32Array / Int32Array in row-major order, every
 * primitive is a plain loop, and the fused LSTM, GRU and SimpleRNN kernels carry their own
 * backward passes. It has no dependencies and runs anywhere JavaScript runs.
 *
 * Each call returns a new, independent backend object; nothing is registered globally. Its
 * kernels share one `GemmContext` made here: the plugged-in `options.matrixKernels` (see
 * `MatrixKernels`; the backend is named `ts+<their name>` then) and the packed-operand cache, so
 * two instances never share a cache or a provider.
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
export function tsBackend(options: TsBackendOptions = {}): KernelBackend {
  const kernels = options.matrixKernels;
  if (kernels !== undefined && typeof (kernels as Partial<MatrixKernels>).gemm !== 'function') {
    const hint = kernels instanceof Promise ? ' It is a Promise: await it first.' : '';
    throw new ValueError(
      `tsBackend: options.matrixKernels must be a MatrixKernels object with a gemm function.${hint}`,
    );
  }
  const context = createGemmContext(kernels ?? null);
  // Donated tables are written in place only when every keeper of prepared copies can be told
  // first: kernels without `release` may hold packed copies of any tensor storage.
  const inPlaceAllowed = kernels === undefined || kernels.release !== undefined;
  const forget = (values: TypedArray) => forgetPreparedCopies(context, values);
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
    matmul: matmul(context),
    reduce,
    reshape,
    transpose,
    slice,
    concat,
    reverse,
    gather,
    scatterAdd,
    scatterUpdate: (table, indices, updates, donateTable = false) =>
      scatterUpdate(table, indices, updates, donateTable && inPlaceAllowed, forget),
    adamStep,
    adamStepRows: (weight, gradientRows, m, v, vHat, indices, scalars, donate) =>
      adamStepRows(weight, gradientRows, m, v, vHat, indices, scalars, donate && inPlaceAllowed, forget),
    lstmSequence: lstmSequence(context),
    gruSequence: gruSequence(context),
    simpleRnnSequence: simpleRnnSequence(context),
  };
}

/** Drops every prepared copy of `values` (the instance's kept block, its kernels' packed operands) before it is written in place. */
function forgetPreparedCopies(context: GemmContext, values: TypedArray): void {
  if (!(values instanceof Float32Array)) return;
  forgetKeptBlock(context, values);
  context.matrixKernels?.release?.(values);
}

function releaseFromKernels(kernels: MatrixKernels, tensor: TensorInfo): void {
  const values = tensor.handle;
  if (values instanceof Float32Array) kernels.release!(values);
}
