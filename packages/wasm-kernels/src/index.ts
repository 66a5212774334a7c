export { loadWasmKernels, type LoadWasmKernelsOptions } from './load-wasm-kernels.js';
