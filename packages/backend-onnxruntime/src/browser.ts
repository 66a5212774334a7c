// The entry for browsers and every other runtime (the "browser" and default export conditions):
// ONNX Runtime's WebAssembly build. The wasm build is the one that runs the LSTM, GRU and RNN
// operators; set `env.wasm.wasmPaths` to where you serve its .wasm and .mjs files.
import * as ort from 'onnxruntime-web/wasm';
import type { GraphBackend } from '@recur/core';
import { createOnnxRuntimeBackend, type OnnxRuntimeBackendOptions } from './create-onnx-runtime-backend.js';

/**
 * Runs trained Recur models for inference on onnxruntime-web (WebAssembly).
 *
 * @example
 * env.wasm.wasmPaths = '/ort/';
 * const compiled = await onnxRuntimeBackend().compile(new Uint8Array(await (await fetch('/model.onnx')).arrayBuffer()));
 * const probabilities = await compiled.predict([[3, 1, 4]]);
 */
export function onnxRuntimeBackend(
  options: OnnxRuntimeBackendOptions<ort.InferenceSession.SessionOptions> = {},
): GraphBackend {
  return createOnnxRuntimeBackend(ort, 'onnxruntime-web', options);
}

export { env } from 'onnxruntime-web/wasm';
export { createOnnxRuntimeBackend, type OnnxRuntimeBackendOptions } from './create-onnx-runtime-backend.js';
export type { OrtNamespace } from './onnx-runtime-api.js';
