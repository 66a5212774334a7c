import type { Shape, TensorInfo } from '@recur/core';
import { ShapeError, formatShape, sizeOf, stridesOf } from '@recur/core';
import { allocate, makeTensor, shareStorage, valuesOf } from '../tensor-storage.js';

/**
 * Primitives that move values without computing: reshape, transpose, slice, concat, reverse.
 * All keep the dtype, so they work on int32 indices as well as on float32 values.
 */

/** Same values, new shape; shares storage because tensors are never mutated. */
export function reshape(x: TensorInfo, shape: Shape): TensorInfo {
  if (sizeOf(shape) !== sizeOf(x.shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`Cannot reshape a tensor of shape ${formatShape(x.shape)} to ${formatShape(shape)}.`);
  }
  return makeTensor(shareStorage(valuesOf(x)), shape, x.dtype);
}

/** Axes permuted: output axis a is input axis perm[a]. */
export function transpose(x: TensorInfo, perm: readonly number[]): TensorInfo {
  const rank = x.shape.length;
  const seen = new Set(perm);
  if (
    perm.length !== rank ||
    seen.size !== rank ||
    perm.some((axis) => !Number.isInteger(axis) || axis < 0 || axis >= rank)
  ) {
    throw new ShapeError(
      `transpose needs a permutation of [0, ${rank}) for shape ${formatShape(x.shape)}, got [${perm.join(', ')}].`,
    );
  }
  const input = valuesOf(x);
  const outShape = perm.map((axis) => x.shape[axis]);
  const output = allocate(input.length, x.dtype);
  if (input.length === 0) return makeTensor(output, outShape, x.dtype);

  const inStrides = stridesOf(x.shape);
  // Stride in the input for a step along each output axis.
  const steps = perm.map((axis) => inStrides[axis]);
  if (rank === 0) {
    output[0] = input[0];
    return makeTensor(output, outShape, x.dtype);
  }
  const last = rank - 1;
  const inner = outShape[last];
  const innerStep = steps[last];
  const index = new Array<number>(rank).fill(0);
  let base = 0;
  for (let start = 0; start < output.length; start += inner) {
    for (let k = 0; k < inner; k++) output[start + k] = input[base + k * innerStep];
    for (let axis = last - 1; axis >= 0; axis--) {
      index[axis]++;
      base += steps[axis];
      if (index[axis] < outShape[axis]) break;
      base -= steps[axis] * outShape[axis];
      index[axis] = 0;
    }
  }
  return makeTensor(output, outShape, x.dtype);
}

/** The block starting at `begin` with extent `size` (-1 means "to the end of that axis"). */
export function slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): TensorInfo {
  const rank = x.shape.length;
  if (begin.length !== rank || size.length !== rank) {
    throw new ShapeError(`slice of a rank-${rank} tensor needs ${rank} begin and size values.`);
  }
  const outShape = size.map((extent, axis) => (extent === -1 ? x.shape[axis] - begin[axis] : extent));
  for (let axis = 0; axis < rank; axis++) {
    if (!(begin[axis] >= 0 && outShape[axis] >= 0 && begin[axis] + outShape[axis] <= x.shape[axis])) {
      throw new ShapeError(
        `slice begin [${begin.join(', ')}] size [${size.join(', ')}] does not fit in shape ${formatShape(x.shape)}.`,
      );
    }
  }
  const input = valuesOf(x);
  const output = allocate(sizeOf(outShape), x.dtype);
  if (output.length === 0) return makeTensor(output, outShape, x.dtype);
  if (rank === 0) {
    output[0] = input[0];
    return makeTensor(output, outShape, x.dtype);
  }
  const inStrides = stridesOf(x.shape);
  let base = 0;
  for (let axis = 0; axis < rank; axis++) base += begin[axis] * inStrides[axis];
  // Copy contiguous runs along the last axis; an odometer walks the outer axes.
  const last = rank - 1;
  const inner = outShape[last];
  const index = new Array<number>(rank).fill(0);
  for (let start = 0; start < output.length; start += inner) {
    output.set(input.subarray(base, base + inner), start);
    for (let axis = last - 1; axis >= 0; axis--) {
      index[axis]++;
      base += inStrides[axis];
      if (index[axis] < outShape[axis]) break;
      base -= inStrides[axis] * outShape[axis];
      index[axis] = 0;
    }
  }
  return makeTensor(output, outShape, x.dtype);
}

/** Tensors joined along `axis`; all other axes and the dtype must agree. */
export function concat(tensors: readonly TensorInfo[], axis: number): TensorInfo {
  if (tensors.length === 0) throw new ShapeError('concat needs at least one tensor.');
  const first = tensors[0];
  const rank = first.shape.length;
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) {
    throw new ShapeError(`concat axis ${axis} is out of range for rank ${rank}.`);
  }
  let total = 0;
  for (const tensor of tensors) {
    const compatible =
      tensor.dtype === first.dtype &&
      tensor.shape.length === rank &&
      tensor.shape.every((dimension, other) => other === axis || dimension === first.shape[other]);
    if (!compatible) {
      throw new ShapeError(
        `concat on axis ${axis} needs equal shapes and dtypes off that axis: ${formatShape(first.shape)} ${first.dtype} ` +
          `vs ${formatShape(tensor.shape)} ${tensor.dtype}.`,
      );
    }
    total += tensor.shape[axis];
  }
  const outShape = first.shape.map((dimension, other) => (other === axis ? total : dimension));
  const outer = sizeOf(first.shape.slice(0, axis));
  const inner = sizeOf(first.shape.slice(axis + 1));
  const output = allocate(sizeOf(outShape), first.dtype);
  const outRow = total * inner;
  let column = 0;
  for (const tensor of tensors) {
    const input = valuesOf(tensor);
    const block = tensor.shape[axis] * inner;
    for (let row = 0; row < outer; row++) {
      output.set(input.subarray(row * block, (row + 1) * block), row * outRow + column);
    }
    column += block;
  }
  return makeTensor(output, outShape, first.dtype);
}

/** The tensor with `axis` in reverse order. */
export function reverse(x: TensorInfo, axis: number): TensorInfo {
  const rank = x.shape.length;
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) {
    throw new ShapeError(`reverse axis ${axis} is out of range for rank ${rank}.`);
  }
  const input = valuesOf(x);
  const output = allocate(input.length, x.dtype);
  const outer = sizeOf(x.shape.slice(0, axis));
  const length = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  for (let row = 0; row < outer; row++) {
    const base = row * length * inner;
    for (let position = 0; position < length; position++) {
      const from = base + position * inner;
      output.set(input.subarray(from, from + inner), base + (length - 1 - position) * inner);
    }
  }
  return makeTensor(output, x.shape, x.dtype);
}
