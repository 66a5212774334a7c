import { describe, expect, it } from 'vitest';
import { ValueError, decodeSafetensors, encodeSafetensors } from '@recur/core';

// Builds a file by hand from the format description: 8-byte little-endian header length, the
// JSON header padded with spaces, then the data bytes. Everything here is independent of the
// code under test, so decoding it checks our reader against the spec, not against our writer.
function fileFromParts(headerJson: string, data: number[], padTo = 8): Uint8Array {
  const header = [...new TextEncoder().encode(headerJson)];
  while (header.length % padTo !== 0) header.push(0x20);
  const length = header.length;
  const prefix = [length & 0xff, (length >> 8) & 0xff, (length >> 16) & 0xff, (length >> 24) & 0xff, 0, 0, 0, 0];
  return Uint8Array.from([...prefix, ...header, ...data]);
}

// IEEE 754 binary32, little-endian: 1.5 = 0x3FC00000, -2 = 0xC0000000, 0.1 = 0x3DCCCCCD.
const BYTES_1_5 = [0x00, 0x00, 0xc0, 0x3f];
const BYTES_MINUS_2 = [0x00, 0x00, 0x00, 0xc0];
const BYTES_0_1 = [0xcd, 0xcc, 0xcc, 0x3d];
// Two's complement int32, little-endian: 7 and -1.
const BYTES_7 = [0x07, 0x00, 0x00, 0x00];
const BYTES_MINUS_1 = [0xff, 0xff, 0xff, 0xff];

const HAND_HEADER =
  '{"__metadata__":{"format":"pt","note":"héllo"},' +
  '"lstm/kernel":{"dtype":"F32","shape":[1,3],"data_offsets":[0,12]},' +
  '"ids":{"dtype":"I32","shape":[2],"data_offsets":[12,20]}}';
const HAND_DATA = [...BYTES_1_5, ...BYTES_MINUS_2, ...BYTES_0_1, ...BYTES_7, ...BYTES_MINUS_1];

describe('decodeSafetensors on a file built by hand from the spec', () => {
  it('reads names, dtypes, shapes, values and metadata', () => {
    const { tensors, metadata } = decodeSafetensors(fileFromParts(HAND_HEADER, HAND_DATA));
    expect(metadata).toEqual({ format: 'pt', note: 'héllo' });
    expect([...tensors.keys()].sort()).toEqual(['ids', 'lstm/kernel']);
    const kernel = tensors.get('lstm/kernel')!;
    expect(kernel.shape).toEqual([1, 3]);
    expect(kernel.values).toBeInstanceOf(Float32Array);
    expect([...kernel.values]).toEqual([1.5, -2, Math.fround(0.1)]);
    const ids = tensors.get('ids')!;
    expect(ids.shape).toEqual([2]);
    expect(ids.values).toBeInstanceOf(Int32Array);
    expect([...ids.values]).toEqual([7, -1]);
  });

  it('reads a file whose buffer does not start at an aligned address (a Node Buffer slice)', () => {
    const file = fileFromParts(HAND_HEADER, HAND_DATA);
    const shifted = new Uint8Array(file.length + 3);
    shifted.set(file, 3);
    const { tensors } = decodeSafetensors(shifted.subarray(3));
    expect([...tensors.get('lstm/kernel')!.values]).toEqual([1.5, -2, Math.fround(0.1)]);
  });

  it('accepts a header without padding, scalars and empty tensors (all allowed by the spec)', () => {
    const header =
      '{"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"e":{"dtype":"F32","shape":[0,5],"data_offsets":[4,4]}}';
    const { tensors } = decodeSafetensors(fileFromParts(header, BYTES_1_5, 1));
    expect(tensors.get('s')).toEqual({ shape: [], values: Float32Array.of(1.5) });
    expect(tensors.get('e')).toEqual({ shape: [0, 5], values: new Float32Array(0) });
  });
});

describe('encodeSafetensors', () => {
  it('writes the layout of the spec: length prefix, space-padded JSON, aligned little-endian data', () => {
    const bytes = encodeSafetensors(
      new Map([
        ['lstm/kernel', { shape: [1, 3], values: Float32Array.of(1.5, -2, 0.1) }],
        ['ids', { shape: [2], values: Int32Array.of(7, -1) }],
      ]),
      { note: 'héllo' },
    );
    const headerLength = bytes[0] + bytes[1] * 256;
    expect([...bytes.subarray(2, 8)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect((8 + headerLength) % 8).toBe(0);
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
    expect(headerText.trimEnd().length).toBeGreaterThan(headerLength - 8);
    expect(headerText.slice(headerText.trimEnd().length)).toMatch(/^ *$/);
    expect(JSON.parse(headerText)).toEqual({
      __metadata__: { note: 'héllo' },
      'lstm/kernel': { dtype: 'F32', shape: [1, 3], data_offsets: [0, 12] },
      ids: { dtype: 'I32', shape: [2], data_offsets: [12, 20] },
    });
    expect([...bytes.subarray(8 + headerLength)]).toEqual(HAND_DATA);
  });

  it('round-trips tensors and metadata exactly, including non-finite floats', () => {
    const tensors = new Map([
      [
        'embedding/embeddings',
        { shape: [3, 2], values: Float32Array.of(0.25, -1e-30, 3.4e38, Number.NaN, Infinity, -0) },
      ],
      ['dense/bias', { shape: [4], values: Float32Array.of(1, 2, 3, 4) }],
      ['counts', { shape: [2, 2], values: Int32Array.of(2147483647, -2147483648, 0, 5) }],
      ['scalar', { shape: [], values: Float32Array.of(9) }],
    ]);
    const decoded = decodeSafetensors(encodeSafetensors(tensors, { vocabulary: '["a","b"]' }));
    expect(decoded.metadata).toEqual({ vocabulary: '["a","b"]' });
    expect(decoded.tensors).toEqual(tensors);
    expect(Object.is(decoded.tensors.get('embedding/embeddings')!.values[5], -0)).toBe(true);
  });

  it('refuses values that do not fill the shape, the reserved name and non-string metadata', () => {
    expect(() => encodeSafetensors({ w: { shape: [2, 2], values: new Float32Array(3) } })).toThrow(
      /3 values do not fill shape \[2, 2\]/,
    );
    expect(() => encodeSafetensors({ __metadata__: { shape: [1], values: new Float32Array(1) } })).toThrow(
      /reserves that key/,
    );
    expect(() => encodeSafetensors({}, { epochs: 3 as unknown as string })).toThrow(
      /'epochs' is number; metadata values must be strings/,
    );
  });
});

describe('decodeSafetensors on broken or hostile files', () => {
  const good = fileFromParts(HAND_HEADER, HAND_DATA);
  const withHeader = (header: string, data: number[] = HAND_DATA) => fileFromParts(header, data);
  const entry = (name: string, body: string) => `{"${name}":${body}}`;

  it.each([
    [
      'a file shorter than the length prefix',
      good.subarray(0, 5),
      /5 bytes long, shorter than the 8-byte header length/,
    ],
    ['a file cut inside the header', good.subarray(0, 40), /header length says \d+ bytes, but only 32 bytes follow/],
    ['a file cut inside the data', good.subarray(0, good.length - 3), /ends at byte 20, past the 17 bytes of data/],
    ['a header that is not JSON', withHeader('{"a": [1, 2'), /not valid JSON/],
    ['a header that is not an object', withHeader('[1, 2, 3]'), /must be a JSON object starting with '\{'/],
    [
      'a header that is not UTF-8',
      Uint8Array.from([8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0xff, 0xfe, 0x7d, 0x20, 0x20, 0x20, 0x20]),
      /not valid UTF-8/,
    ],
    [
      'an unsupported dtype',
      withHeader(entry('w', '{"dtype":"F16","shape":[2],"data_offsets":[0,4]}'), [0, 0, 0, 0]),
      /dtype "F16"; Recur reads only F32 and I32/,
    ],
    [
      'a negative dimension',
      withHeader(entry('w', '{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}'), BYTES_1_5),
      /shape \[-1\]; expected an array of non-negative integers/,
    ],
    [
      'offsets that are not a pair',
      withHeader(entry('w', '{"dtype":"F32","shape":[1],"data_offsets":[0]}'), BYTES_1_5),
      /data_offsets \[0\]; expected \[begin, end\]/,
    ],
    [
      'begin after end',
      withHeader(entry('w', '{"dtype":"F32","shape":[1],"data_offsets":[4,0]}'), BYTES_1_5),
      /begin is after end/,
    ],
    [
      'a size that does not match dtype and shape',
      withHeader(entry('w', '{"dtype":"F32","shape":[2],"data_offsets":[0,4]}'), BYTES_1_5),
      /F32 of shape \[2\], which needs 8 bytes, but its data_offsets span 4 bytes/,
    ],
    [
      'a giant declared shape',
      withHeader(
        entry('w', '{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}'),
        BYTES_1_5,
      ),
      /needs more than 9007199254740991 bytes/,
    ],
    [
      'two tensors sharing bytes',
      withHeader(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
        [...BYTES_1_5, ...BYTES_1_5],
      ),
      /'b' \(bytes 4-8\) overlaps the tensor before it/,
    ],
    [
      'bytes no tensor accounts for',
      withHeader(entry('w', '{"dtype":"F32","shape":[1],"data_offsets":[4,8]}'), [...BYTES_1_5, ...BYTES_1_5]),
      /bytes 0-4 of the data belong to no tensor/,
    ],
    [
      'trailing bytes after the last tensor',
      withHeader(entry('w', '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}'), [...BYTES_1_5, 1, 2, 3, 4]),
      /cover 4 bytes of data, but 8 bytes follow/,
    ],
    [
      'metadata that is not strings',
      withHeader('{"__metadata__":{"epochs":3}}', []),
      /'__metadata__.epochs' must be a string/,
    ],
    ['an entry that is not an object', withHeader('{"w":5}', []), /entry of tensor 'w' must be an object/],
  ])('names the problem for %s', (_case, bytes, message) => {
    expect(() => decodeSafetensors(bytes, "'weights.safetensors'")).toThrow(ValueError);
    expect(() => decodeSafetensors(bytes, "'weights.safetensors'")).toThrow(message);
    expect(() => decodeSafetensors(bytes, "'weights.safetensors'")).toThrow(
      /^'weights.safetensors' is not a valid safetensors file: /,
    );
  });

  it('refuses a header length beyond the file before reading or allocating anything', () => {
    // Length prefix 2^63: a 64-bit size no 53-bit float can hold exactly.
    const bytes = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0x80, 0x7b, 0x7d]);
    expect(() => decodeSafetensors(bytes)).toThrow(
      /header length says 9223372036854775808 bytes, but only 2 bytes follow/,
    );
  });
});
