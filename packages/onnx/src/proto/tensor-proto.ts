import { OnnxFormatError, OnnxUnsupportedError } from '../onnx-errors.js';
import { DataType, dataTypeName } from './data-type.js';
import { allocate, checkedSize, type HostDType, type HostTensor } from './host-tensor.js';
import { int64ToNumber } from './int64.js';
import type { TensorProto } from './onnx-messages.js';

const DTYPES: Record<number, HostDType> = {
  [DataType.FLOAT]: 'float32',
  [DataType.INT32]: 'int32',
  [DataType.INT64]: 'int64',
  [DataType.BOOL]: 'bool',
};

const BYTES: Record<HostDType, number> = { float32: 4, int32: 4, int64: 8, bool: 1 };

/** The host dtype of an ONNX data type number, or a clear error for types Recur does not read. */
export function hostDTypeOf(dataType: number, what: string): HostDType {
  const dtype = DTYPES[dataType];
  if (dtype === undefined) {
    throw new OnnxUnsupportedError(
      `${what} has element type ${dataTypeName(dataType)}; Recur reads FLOAT, INT32, INT64 and BOOL tensors (it computes in float32). Convert the model to float32 first.`,
    );
  }
  return dtype;
}

/** The ONNX data type number of a host dtype. */
export function dataTypeOf(dtype: HostDType): number {
  return { float32: DataType.FLOAT, int32: DataType.INT32, int64: DataType.INT64, bool: DataType.BOOL }[dtype];
}

/**
 * Reads a TensorProto into a host tensor. The declared shape is checked first (non-negative,
 * at most MAX_TENSOR_ELEMENTS elements), then the stored data must hold exactly that many
 * values, so nothing is allocated for a size the file does not actually contain.
 */
export function tensorFromProto(proto: TensorProto, what: string): HostTensor {
  if (proto.dataLocation === 1 || (proto.externalData?.length ?? 0) > 0) {
    throw new OnnxUnsupportedError(
      `${what} keeps its data in an external file; Recur reads self-contained models only (save with onnx.save_model(model, path, save_as_external_data=False)).`,
    );
  }
  const dtype = hostDTypeOf(proto.dataType ?? 0, what);
  const shape = (proto.dims ?? []).map((dimension, axis) => int64ToNumber(dimension, `${what} dims[${axis}]`));
  const size = checkedSize(shape, what);
  const raw = proto.rawData;
  if (raw !== undefined && raw.length > 0) return { dtype, shape, data: fromRaw(raw, dtype, size, what) };
  return { dtype, shape, data: fromTyped(proto, dtype, size, what) };
}

function fromRaw(raw: Uint8Array, dtype: HostDType, size: number, what: string): HostTensor['data'] {
  const expected = size * BYTES[dtype];
  if (raw.length !== expected) {
    throw new OnnxFormatError(
      `${what}: raw_data holds ${raw.length} bytes but its shape needs ${expected} (${size} ${dtype} values); the file is truncated or corrupt.`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = allocate(dtype, size);
  for (let k = 0; k < size; k++) {
    switch (dtype) {
      case 'float32':
        data[k] = view.getFloat32(4 * k, true);
        break;
      case 'int32':
        data[k] = view.getInt32(4 * k, true);
        break;
      case 'int64':
        data[k] = int64ToNumber(
          { low: view.getUint32(8 * k, true), high: view.getInt32(8 * k + 4, true) },
          `${what}[${k}]`,
          true,
        );
        break;
      case 'bool':
        data[k] = view.getUint8(k) === 0 ? 0 : 1;
        break;
    }
  }
  return data;
}

function fromTyped(proto: TensorProto, dtype: HostDType, size: number, what: string): HostTensor['data'] {
  const field = dtype === 'float32' ? 'float_data' : dtype === 'int64' ? 'int64_data' : 'int32_data';
  const values = dtype === 'float32' ? proto.floatData : dtype === 'int64' ? proto.int64Data : proto.int32Data;
  const count = values?.length ?? 0;
  if (count !== size) {
    throw new OnnxFormatError(
      `${what}: ${field} holds ${count} values but its shape needs ${size}; the file is truncated or corrupt.`,
    );
  }
  const data = allocate(dtype, size);
  for (let k = 0; k < size; k++) {
    const value = values![k];
    data[k] = dtype === 'int64' ? int64ToNumber(value, `${what}[${k}]`, true) : (value as number);
  }
  return data;
}

/** Writes a host tensor as a TensorProto with little-endian `raw_data`. */
export function tensorToProto(name: string, tensor: HostTensor): TensorProto {
  const size = tensor.data.length;
  const raw = new Uint8Array(size * BYTES[tensor.dtype]);
  const view = new DataView(raw.buffer);
  for (let k = 0; k < size; k++) {
    const value = tensor.data[k];
    switch (tensor.dtype) {
      case 'float32':
        view.setFloat32(4 * k, value, true);
        break;
      case 'int32':
        view.setInt32(4 * k, value, true);
        break;
      case 'int64':
        view.setBigInt64(8 * k, BigInt(value), true);
        break;
      case 'bool':
        view.setUint8(k, value === 0 ? 0 : 1);
        break;
    }
  }
  return { name, dims: [...tensor.shape], dataType: dataTypeOf(tensor.dtype), rawData: raw };
}
