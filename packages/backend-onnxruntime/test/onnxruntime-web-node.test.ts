import { tsBackend } from '@recur/backend-ts';
import { runGraphBackendSuite } from '@recur/conformance';
import { env, onnxRuntimeBackend } from '../src/browser.js';

// The browser entry (onnxruntime-web's WebAssembly build) also runs in Node: one thread, no
// worker, so no cross-origin isolation is involved.
env.wasm.numThreads = 1;

runGraphBackendSuite({
  name: 'onnxruntime-web (wasm) in Node',
  createBackend: () => onnxRuntimeBackend(),
  createReferenceBackend: tsBackend,
});
