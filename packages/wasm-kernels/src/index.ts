export { loadWasmKernels, type LoadWasmKernelsOptions } from './load-wasm-kernels.js';
export { withWasmKernels, type CreateTsBackend } from './with-wasm-kernels.js';
export type { WasmMatrixKernels } from './wasm-matrix-kernels.js';
