import { ShapeError, formatShape } from '@recur/core';

/**
 * Element types of the tensors an ONNX graph carries through Recur. int64 values (shapes,
 * indices) live in a Float64Array, which holds every integer up to 2^53 exactly.
 */
export type HostDType = 'float32' | 'int32' | 'int64' | 'bool';

export type HostArray = Float32Array | Int32Array | Float64Array | Uint8Array;

/** A tensor on the host, in row-major order: an ONNX initializer, constant or graph input. */
export interface HostTensor {
  readonly dtype: HostDType;
  readonly shape: readonly number[];
  readonly data: HostArray;
}

/**
 * The most elements Recur allocates for one tensor while reading or running an ONNX model
 * (2^27 = 134,217,728: 512 MB of float32). A model that declares more is refused before
 * anything is allocated, so a hostile file cannot make the reader allocate without bound.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 27;

/** Checks a shape (non-negative integers, at most MAX_TENSOR_ELEMENTS elements) and returns its size. */
export function checkedSize(shape: readonly number[], what: string): number {
  let size = 1;
  for (const dimension of shape) {
    if (!Number.isSafeInteger(dimension) || dimension < 0) {
      throw new ShapeError(
        `${what}: invalid dimension ${dimension} in shape ${formatShape(shape)}; dimensions must be non-negative integers.`,
      );
    }
    size *= dimension;
  }
  if (size > MAX_TENSOR_ELEMENTS) {
    throw new ShapeError(
      `${what}: shape ${formatShape(shape)} has ${size} elements, more than the ${MAX_TENSOR_ELEMENTS} Recur allocates for one tensor. The file is corrupt or the model too large for this reader.`,
    );
  }
  return size;
}

/** A typed array of `size` elements for `dtype`. */
export function allocate(dtype: HostDType, size: number): HostArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'int64':
      return new Float64Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}
