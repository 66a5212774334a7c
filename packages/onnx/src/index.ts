export { exportOnnx, type ExportOnnxOptions, type ModelWithWeights } from './export/export-onnx.js';
export { decodeModel, decodeTensor } from './proto/decode-model.js';
export { OnnxFormatError, OnnxUnsupportedError } from './onnx-errors.js';
export { MAX_TENSOR_ELEMENTS, type HostTensor, type HostDType } from './proto/host-tensor.js';
export { METADATA_KEYS, RECUR_ONNX_VERSION } from './producer.js';
export { importOnnx, type OnnxImport } from './import/import-onnx.js';
export type { OnnxGraph, OnnxNode, GraphValueInfo } from './import/onnx-graph.js';
