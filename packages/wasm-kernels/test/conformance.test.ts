import { tsBackend } from '@recur/backend-ts';
import { runConformanceSuite } from '@recur/conformance';
import { loadWasmKernels } from '../src/index.js';

// The whole backend conformance suite on backend-ts with every dense matrix product in the
// WebAssembly kernels: the same cases and tolerances as the pure-TypeScript run, nothing excluded.
const kernels = await loadWasmKernels();
runConformanceSuite({ name: 'ts+wasm', createBackend: () => tsBackend({ kernels }) });
