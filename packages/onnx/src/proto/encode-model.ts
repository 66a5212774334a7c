import type { ModelProto } from './onnx-messages.js';
import { modelProtoType } from './onnx-schema.js';

/** Serializes a ModelProto to the bytes of an `.onnx` file. */
export function encodeModel(model: ModelProto): Uint8Array {
  const message = modelProtoType.fromObject(model);
  return modelProtoType.encode(message).finish();
}
