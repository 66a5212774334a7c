/**
 * `@recur/onnx/interpreter`: runs an imported ONNX graph node by node on any KernelBackend.
 * For graphs that are not a Sequential chain (several inputs and outputs, exporter plumbing)
 * and for checking Recur against the ONNX project's own operator tests. Serving a model is
 * ONNX Runtime's job (`@recur/backend-onnxruntime`); a chain is better run as the Sequential
 * that `importOnnx(bytes).toSequential(...)` builds.
 */
export { OnnxGraphModel, type GraphFeeds } from './import/onnx-graph-model.js';
