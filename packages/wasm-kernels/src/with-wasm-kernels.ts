import type { KernelBackend } from '@recur/core';
import type { MatrixKernels } from '@recur/backend-ts';
import { wasmLstmSequence } from './wasm-lstm-sequence.js';
import type { WasmMatrixKernels } from './wasm-matrix-kernels.js';

/** Makes the backend to decorate with the given matrix products, e.g. `tsBackend` itself. */
export type CreateTsBackend = (options: { readonly matrixKernels: MatrixKernels }) => KernelBackend;

/**
 * backend-ts with recur-kernels.wasm: a decorator over a backend-ts instance that it creates
 * itself, so the two halves cannot disagree. The instance gets the module's matrix products
 * (`matrixKernels`: every dense product of `matmul` and of the fused GRU, SimpleRNN and masked
 * LSTM kernels), and the decorator overrides its `lstmSequence` with the module's whole-sequence
 * LSTM (`wasmLstmSequence`), which hands every call it does not take (masked steps, other
 * activations) to the instance's own. Everything else is the instance's: its name
 * (`ts+wasm-simd`), tensors, donation and `release`, which drop the module's packed copies for
 * both halves because they share one cache.
 *
 * The inner backend is made here rather than passed in because the LSTM override and the
 * products must be the same module: a backend-ts made without these products would multiply in
 * TypeScript around a WebAssembly LSTM, with other numbers than either alone.
 *
 * @example
 * ```ts
 * import { tsBackend } from '@recur/backend-ts';
 * import { loadWasmKernels, withWasmKernels } from '@recur/wasm-kernels';
 *
 * const backend = withWasmKernels(tsBackend, await loadWasmKernels());
 * backend.name; // 'ts+wasm-simd'
 * ```
 */
export function withWasmKernels(createBackend: CreateTsBackend, kernels: WasmMatrixKernels): KernelBackend {
  const inner = createBackend({ matrixKernels: kernels });
  return { ...inner, lstmSequence: wasmLstmSequence(kernels, inner.lstmSequence) };
}
