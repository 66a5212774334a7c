/** The name and version written into `producer_name` / `producer_version` and `recur.version`. */
export const PRODUCER_NAME = 'recur';

/** The version of @recur/onnx (kept equal to package.json by a test). */
export const RECUR_ONNX_VERSION = '0.1.0';

/** ONNX operator set Recur's exporter targets, and the IR version that goes with it (ONNX 1.12). */
export const EXPORT_OPSET = 17;
export const EXPORT_IR_VERSION = 8;

/** `metadata_props` keys Recur writes; user keys must not start with `recur.`. */
export const METADATA_KEYS = {
  modelSpec: 'recur.model_spec',
  version: 'recur.version',
  vocabulary: 'recur.vocabulary',
} as const;
