import { tsBackend } from '@recur/backend-ts';
import { runConformanceSuite } from '@recur/conformance';
import { loadWasmKernels, withWasmKernels } from '../src/index.js';

// The whole backend conformance suite on backend-ts decorated with the WebAssembly kernels (its
// dense matrix products and the whole-sequence LSTM): the same cases and tolerances as the
// pure-TypeScript run, nothing excluded.
const kernels = await loadWasmKernels();
runConformanceSuite({ name: 'ts+wasm', createBackend: () => withWasmKernels(tsBackend, kernels) });
