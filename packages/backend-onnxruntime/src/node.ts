// The entry for Node (the "node" export condition): ONNX Runtime's native CPU build.
import * as ort from 'onnxruntime-node';
import type { GraphBackend } from '@recur/core';
import { createOnnxRuntimeBackend, type OnnxRuntimeBackendOptions } from './create-onnx-runtime-backend.js';

/**
 * Runs trained Recur models for inference on onnxruntime-node.
 *
 * @example
 * const compiled = await onnxRuntimeBackend().compile(model);
 * const probabilities = await compiled.predict([[3, 1, 4]]);
 */
export function onnxRuntimeBackend(
  options: OnnxRuntimeBackendOptions<ort.InferenceSession.SessionOptions> = {},
): GraphBackend {
  return createOnnxRuntimeBackend(ort, 'onnxruntime-node', options);
}

export { env } from 'onnxruntime-node';
export { createOnnxRuntimeBackend, type OnnxRuntimeBackendOptions } from './create-onnx-runtime-backend.js';
export type { OrtNamespace } from './onnx-runtime-api.js';
