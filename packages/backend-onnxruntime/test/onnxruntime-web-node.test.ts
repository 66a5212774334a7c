import { env, onnxRuntimeBackend } from '../src/browser.js';
import { describeRuntimeParity } from './runtime-parity.js';

// The browser entry (onnxruntime-web's WebAssembly build) also runs in Node: one thread, no
// worker, so no cross-origin isolation is involved.
env.wasm.numThreads = 1;

describeRuntimeParity('onnxruntime-web (wasm) in Node', () => onnxRuntimeBackend());
