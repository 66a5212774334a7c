import { OnnxFormatError } from '../onnx-errors.js';
import type { HostTensor } from './host-tensor.js';
import type { ModelProto, TensorProto } from './onnx-messages.js';
import { modelProtoType, tensorProtoType } from './onnx-schema.js';
import { tensorFromProto } from './tensor-proto.js';

function checkBytes(bytes: unknown, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new OnnxFormatError(
      `${what} must be a Uint8Array (e.g. fs.readFileSync(path) or new Uint8Array(await response.arrayBuffer())), got ${typeof bytes}.`,
    );
  }
  if (bytes.length === 0) throw new OnnxFormatError(`${what} is empty (0 bytes).`);
  return bytes;
}

/** Runs a protobuf decoder, turning its low-level failures into one clear error. */
function decodeWith<T>(decode: () => T, what: string, size: number): T {
  try {
    return decode();
  } catch (error) {
    // protobufjs throws RangeError/Error for truncated or malformed input; a deeply nested
    // hostile message overflows the stack (also a RangeError). Either way the file is bad.
    const reason = error instanceof Error ? error.message : String(error);
    throw new OnnxFormatError(
      `Cannot decode ${what} (${size} bytes): ${reason}. The file is truncated, corrupt, or not an ONNX protobuf.`,
    );
  }
}

/**
 * Decodes the bytes of an `.onnx` file into its ModelProto, checking the parts every model
 * needs (a graph and a default-domain opset import).
 *
 * @example
 * const model = decodeModel(readFileSync('model.onnx'));
 * console.log(model.graph?.node?.map((node) => node.opType));
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const input = checkBytes(bytes, 'ONNX model bytes');
  const model = decodeWith(() => modelProtoType.decode(input) as unknown as ModelProto, 'the ONNX model', input.length);
  if (model.graph === undefined || model.graph === null) {
    throw new OnnxFormatError(
      `The ONNX model (${input.length} bytes) has no graph: the file is not an ONNX model or is truncated.`,
    );
  }
  return model;
}

/**
 * Decodes one serialized TensorProto (the `input_0.pb` / `output_0.pb` files of ONNX test data).
 *
 * @example
 * const expected = decodeTensor(readFileSync('test_data_set_0/output_0.pb'));
 */
export function decodeTensor(bytes: Uint8Array, what = 'TensorProto'): HostTensor {
  const input = checkBytes(bytes, what);
  const proto = decodeWith(() => tensorProtoType.decode(input) as unknown as TensorProto, what, input.length);
  return tensorFromProto(proto, proto.name !== undefined && proto.name !== '' ? `tensor '${proto.name}'` : what);
}
