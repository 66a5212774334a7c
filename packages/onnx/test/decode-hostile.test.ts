import { describe, expect, it } from 'vitest';
import { ShapeError } from '@recur/core';
import { OnnxFormatError, OnnxUnsupportedError, decodeModel, decodeTensor } from '../src/index.js';
import { loadReferenceModel } from './reference-files.js';

/** Protobuf varint bytes of a non-negative integer (or a negative int64, as ten bytes). */
function varint(value: bigint): number[] {
  let rest = BigInt.asUintN(64, value);
  const bytes: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return bytes;
}

const tag = (field: number, wireType: number) => varint(BigInt((field << 3) | wireType));
const lengthDelimited = (field: number, content: number[]) => [
  ...tag(field, 2),
  ...varint(BigInt(content.length)),
  ...content,
];
const float32Bytes = (count: number) => new Array<number>(4 * count).fill(0);

/** A hand-made TensorProto: dims (field 1), data_type (field 2), raw_data (field 9). */
function tensorBytes(dims: bigint[], dataType: number, raw: number[]): Uint8Array {
  return Uint8Array.from([
    ...dims.flatMap((dimension) => [...tag(1, 0), ...varint(dimension)]),
    ...tag(2, 0),
    ...varint(BigInt(dataType)),
    ...lengthDelimited(9, raw),
  ]);
}

describe('decoding hostile or broken bytes fails with a clear error, never a crash', () => {
  it('empty input and non-bytes', () => {
    expect(() => decodeModel(new Uint8Array(0))).toThrow(OnnxFormatError);
    expect(() => decodeModel('model.onnx' as unknown as Uint8Array)).toThrow(/must be a Uint8Array/);
  });

  it('a truncated model file', () => {
    const { bytes } = loadReferenceModel('lstm_dynamic_batch_seq');
    for (const cut of [1, 100, Math.floor(bytes.length / 2), bytes.length - 1]) {
      expect(() => decodeModel(bytes.subarray(0, cut))).toThrow(OnnxFormatError);
    }
  });

  it('bytes that are not protobuf at all', () => {
    expect(() => decodeModel(new TextEncoder().encode('<html>not a model</html>'))).toThrow(OnnxFormatError);
    expect(() => decodeModel(new Uint8Array(64).fill(0xff))).toThrow(OnnxFormatError);
  });

  it('a field with the wrong wire type (graph written as a varint)', () => {
    expect(() => decodeModel(Uint8Array.from([...tag(7, 0), 5]))).toThrow(OnnxFormatError);
  });

  it('a model without a graph', () => {
    expect(() => decodeModel(Uint8Array.from([...tag(1, 0), 8]))).toThrow(/has no graph/);
  });

  it('giant declared dims are refused before any allocation', () => {
    const bytes = tensorBytes([1n << 40n, 1n << 40n], 1, float32Bytes(1));
    expect(() => decodeTensor(bytes)).toThrow(ShapeError);
    expect(() => decodeTensor(bytes)).toThrow(/more than the 134217728/);
    expect(() => decodeTensor(tensorBytes([1n << 60n], 1, float32Bytes(1)))).toThrow(/beyond the range|more than/);
  });

  it('raw_data shorter or longer than the shape', () => {
    expect(() => decodeTensor(tensorBytes([3n], 1, float32Bytes(2)))).toThrow(
      /raw_data holds 8 bytes but its shape needs 12/,
    );
    expect(() => decodeTensor(tensorBytes([2n, 2n], 1, float32Bytes(5)))).toThrow(OnnxFormatError);
  });

  it('a negative dimension', () => {
    expect(() => decodeTensor(tensorBytes([-1n], 1, float32Bytes(1)))).toThrow(/invalid dimension -1/);
  });

  it('element types Recur does not read', () => {
    expect(() => decodeTensor(tensorBytes([1n], 11, new Array<number>(8).fill(0)))).toThrow(OnnxUnsupportedError);
    expect(() => decodeTensor(tensorBytes([1n], 11, new Array<number>(8).fill(0)))).toThrow(/DOUBLE/);
  });

  it('well-formed tensors decode to the stored values', () => {
    const raw = new Uint8Array(new Float32Array([1.5, -2, 0.25]).buffer);
    expect(decodeTensor(tensorBytes([3n], 1, [...raw]))).toEqual({
      dtype: 'float32',
      shape: [3],
      data: new Float32Array([1.5, -2, 0.25]),
    });
  });

  it('messages nested ten thousand levels deep', () => {
    // Graph -> node -> attribute -> graph -> ...: a hostile file can nest without bound.
    // Built from the inside out: each level is three length prefixes around the level inside it.
    const prefixes: number[][] = [];
    let innerLength = 0;
    for (let level = 0; level < 10_000; level++) {
      const attribute = [...tag(6, 2), ...varint(BigInt(innerLength))];
      const attributeLength = attribute.length + innerLength;
      const node = [...tag(5, 2), ...varint(BigInt(attributeLength))];
      const nodeLength = node.length + attributeLength;
      const graph = [...tag(1, 2), ...varint(BigInt(nodeLength))];
      prefixes.push([...graph, ...node, ...attribute]);
      innerLength = graph.length + nodeLength;
    }
    const model = [...tag(7, 2), ...varint(BigInt(innerLength))];
    const bytes = new Uint8Array(model.length + innerLength);
    bytes.set(model, 0);
    let offset = model.length;
    for (let level = prefixes.length - 1; level >= 0; level--) {
      bytes.set(prefixes[level], offset);
      offset += prefixes[level].length;
    }
    expect(() => decodeModel(bytes)).toThrow(OnnxFormatError);
  });
});
