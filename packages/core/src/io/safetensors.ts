import { ShapeError, ValueError, formatShape } from '../errors.js';
import type { TensorData } from '../data/tensor-data.js';
import { sizeOf } from '../tensor/shape.js';
import { checkMetadata } from './check-metadata.js';

/**
 * Design: safetensors (Hugging Face) is the weights format beside every Recur model spec:
 *
 *   8 bytes   N, the header length, unsigned 64-bit little-endian
 *   N bytes   UTF-8 JSON: { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { string: string } }
 *             (padded with spaces so the data starts 8-byte aligned)
 *   rest      the byte buffer; offsets are relative to its start, `end` is one past the last byte;
 *             values are little-endian, row-major, packed.
 *
 * Recur stores float32 weights and int32 ids, so it reads and writes `F32` and `I32` only.
 * Files may come from anywhere, so decoding trusts nothing: every number in the header is
 * checked against the file before it is used, and no allocation is larger than the file itself.
 */

/** What a safetensors file holds: named tensors and free-form string metadata. */
export interface SafetensorsContent {
  readonly tensors: Map<string, TensorData>;
  readonly metadata: Record<string, string>;
}

/** The reference implementation refuses headers above 100 MB; a larger one is an attack, not a model. */
const MAXIMUM_HEADER_BYTES = 100 * 1024 * 1024;
const METADATA_KEY = '__metadata__';
const BYTES_PER_ELEMENT = { F32: 4, I32: 4 } as const;
type SafetensorsDType = keyof typeof BYTES_PER_ELEMENT;

/**
 * Encodes named float32 / int32 tensors (and optional string metadata) as safetensors bytes.
 * Tensors are stored in the order given.
 *
 * @example
 * const bytes = encodeSafetensors(model.getWeights(), { vocabulary: JSON.stringify(vocabulary) });
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, TensorData> | Record<string, TensorData>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const entries: [string, TensorData][] = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  const checked = checkMetadata(metadata, 'safetensors metadata');
  if (Object.keys(checked).length > 0) header[METADATA_KEY] = checked;
  let offset = 0;
  for (const [name, data] of entries) {
    if (name === METADATA_KEY)
      throw new ValueError(`A tensor cannot be named '${METADATA_KEY}': safetensors reserves that key for metadata.`);
    const dtype = dtypeOf(data, name);
    if (data.values.length !== sizeOf(data.shape)) {
      throw new ShapeError(
        `Tensor '${name}': ${data.values.length} values do not fill shape ${formatShape(data.shape)}.`,
      );
    }
    const byteLength = data.values.length * BYTES_PER_ELEMENT[dtype];
    header[name] = { dtype, shape: [...data.shape], data_offsets: [offset, offset + byteLength] };
    offset += byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength);
  // DataView writes little-endian whatever the host's byte order is.
  let position = 8 + headerLength;
  for (const [, data] of entries) {
    const isFloat = data.values instanceof Float32Array;
    for (let k = 0; k < data.values.length; k++, position += 4) {
      if (isFloat) view.setFloat32(position, data.values[k], true);
      else view.setInt32(position, data.values[k], true);
    }
  }
  return bytes;
}

function dtypeOf(data: TensorData, name: string): SafetensorsDType {
  if (data.values instanceof Float32Array) return 'F32';
  if (data.values instanceof Int32Array) return 'I32';
  throw new ValueError(`Tensor '${name}' must hold a Float32Array or an Int32Array to be stored as safetensors.`);
}

/**
 * Decodes safetensors bytes, checking the header against the file: a truncated, malformed or
 * hostile file raises a ValueError naming the problem instead of reading out of bounds.
 * `source` names the file in those messages.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(new Uint8Array(await readFile('weights.safetensors')));
 * const kernel = tensors.get('lstm/kernel'); // { shape: [I, 4H], values: Float32Array }
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'This file'): SafetensorsContent {
  const fail = (problem: string): never => {
    throw new ValueError(`${source} is not a valid safetensors file: ${problem}`);
  };
  if (bytes.length < 8)
    fail(
      `it is ${bytes.length} bytes long, shorter than the 8-byte header length that starts every file (truncated?).`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declaredLength = view.getBigUint64(0, true);
  if (declaredLength > BigInt(bytes.length - 8)) {
    fail(
      `the header length says ${declaredLength} bytes, but only ${bytes.length - 8} bytes follow it (truncated or not safetensors).`,
    );
  }
  if (declaredLength > BigInt(MAXIMUM_HEADER_BYTES))
    fail(`the header is ${declaredLength} bytes, above the 100 MB limit.`);
  const headerLength = Number(declaredLength);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    fail('the header is not valid UTF-8.');
  }
  if (!text.startsWith('{'))
    fail(
      `the header must be a JSON object starting with '{', but it starts with ${JSON.stringify(text.slice(0, 16))}.`,
    );
  // Valid JSON starting with '{' is an object.
  let header: Record<string, unknown> = {};
  try {
    header = JSON.parse(text);
  } catch (error) {
    fail(`the header is not valid JSON (${(error as Error).message}).`);
  }

  const dataStart = 8 + headerLength;
  const bufferLength = bytes.length - dataStart;
  const metadata = readMetadata(header[METADATA_KEY], fail);
  const layout: { name: string; dtype: SafetensorsDType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === METADATA_KEY) continue;
    layout.push({ name, ...readEntry(name, entry, bufferLength, fail) });
  }

  // The entries must tile the buffer exactly: no overlap (two names sharing bytes) and no gaps
  // (bytes no tensor accounts for), as the reference implementation requires.
  const ordered = [...layout].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const entry of ordered) {
    if (entry.begin < cursor)
      fail(
        `tensor '${entry.name}' (bytes ${entry.begin}-${entry.end}) overlaps the tensor before it, which ends at byte ${cursor}.`,
      );
    if (entry.begin > cursor) fail(`bytes ${cursor}-${entry.begin} of the data belong to no tensor.`);
    cursor = entry.end;
  }
  if (cursor !== bufferLength)
    fail(`the tensors cover ${cursor} bytes of data, but ${bufferLength} bytes follow the header.`);

  const tensors = new Map<string, TensorData>();
  for (const { name, dtype, shape, begin, end } of layout) {
    const count = (end - begin) / BYTES_PER_ELEMENT[dtype];
    const values = dtype === 'F32' ? new Float32Array(count) : new Int32Array(count);
    // DataView reads little-endian whatever the host's byte order is, and needs no alignment.
    for (let k = 0, position = dataStart + begin; k < count; k++, position += 4) {
      values[k] = dtype === 'F32' ? view.getFloat32(position, true) : view.getInt32(position, true);
    }
    tensors.set(name, { shape, values });
  }
  return { tensors, metadata };
}

function readMetadata(value: unknown, fail: (problem: string) => never): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(`'${METADATA_KEY}' must be an object of strings.`);
  const metadata: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') fail(`'${METADATA_KEY}.${key}' must be a string, got ${JSON.stringify(item)}.`);
    metadata[key] = item as string;
  }
  return metadata;
}

function readEntry(
  name: string,
  entry: unknown,
  bufferLength: number,
  fail: (problem: string) => never,
): { dtype: SafetensorsDType; shape: number[]; begin: number; end: number } {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    fail(`the entry of tensor '${name}' must be an object with dtype, shape and data_offsets.`);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in BYTES_PER_ELEMENT)) {
    fail(
      `tensor '${name}' has dtype ${JSON.stringify(dtype)}; Recur reads only F32 and I32 (convert the file's weights to float32 first).`,
    );
  }
  const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount))
    fail(`tensor '${name}' has shape ${JSON.stringify(shape)}; expected an array of non-negative integers.`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(
      `tensor '${name}' has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] as non-negative integers.`,
    );
  }
  const [begin, end] = offsets as number[];
  if (begin > end) fail(`tensor '${name}' has data_offsets [${begin}, ${end}]: begin is after end.`);
  if (end > bufferLength)
    fail(`tensor '${name}' ends at byte ${end}, past the ${bufferLength} bytes of data in the file (truncated?).`);
  // Multiply step by step and stop past 2^53, so a huge declared shape never loses precision.
  const elementBytes = BYTES_PER_ELEMENT[dtype as SafetensorsDType];
  const dims = shape as number[];
  const span = end - begin;
  let needed = dims.includes(0) ? 0 : elementBytes;
  for (const dim of dims) {
    if (needed > Number.MAX_SAFE_INTEGER) break;
    needed *= dim;
  }
  if (needed !== span) {
    const needs = needed > Number.MAX_SAFE_INTEGER ? `more than ${Number.MAX_SAFE_INTEGER}` : String(needed);
    fail(
      `tensor '${name}' is ${dtype} of shape ${formatShape(dims)}, which needs ${needs} bytes, but its data_offsets span ${span} bytes.`,
    );
  }
  return { dtype: dtype as SafetensorsDType, shape: dims, begin, end };
}
