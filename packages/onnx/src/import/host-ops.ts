import { ShapeError, broadcastShapes } from '@recur/core';
import { allocate, checkedSize, type HostDType, type HostTensor } from '../proto/host-tensor.js';

/**
 * Structural operations on host tensors: the shape arithmetic of exported graphs (Shape ->
 * Gather -> Unsqueeze -> Concat -> Expand ...) runs here, on small int64 vectors. Every
 * result size is checked against MAX_TENSOR_ELEMENTS before allocation.
 */

function strides(shape: readonly number[]): number[] {
  const result = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    result[axis] = stride;
    stride *= shape[axis];
  }
  return result;
}

/** Builds a tensor of `shape` whose element at each position is `x` at `sourceIndex(coordinates)`. */
function gatherElements(
  x: HostTensor,
  shape: readonly number[],
  sourceIndex: (coordinates: number[]) => number,
  what: string,
  dtype: HostDType = x.dtype,
): HostTensor {
  const size = checkedSize(shape, what);
  const data = allocate(dtype, size);
  const coordinates = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < size; k++) {
    data[k] = x.data[sourceIndex(coordinates)];
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      if (++coordinates[axis] < shape[axis]) break;
      coordinates[axis] = 0;
    }
  }
  return { dtype, shape: [...shape], data };
}

export function hostTranspose(x: HostTensor, perm: readonly number[]): HostTensor {
  const inputStrides = strides(x.shape);
  const shape = perm.map((axis) => x.shape[axis]);
  return gatherElements(
    x,
    shape,
    (coordinates) => coordinates.reduce((index, c, k) => index + c * inputStrides[perm[k]], 0),
    'Transpose',
  );
}

/** Elements `begin[axis] + k * step[axis]` for k < size[axis] along every axis. */
export function hostStridedSlice(
  x: HostTensor,
  begin: readonly number[],
  size: readonly number[],
  step: readonly number[],
): HostTensor {
  const inputStrides = strides(x.shape);
  return gatherElements(
    x,
    size,
    (coordinates) =>
      coordinates.reduce((index, c, axis) => index + (begin[axis] + c * step[axis]) * inputStrides[axis], 0),
    'Slice',
  );
}

export function hostConcat(parts: readonly HostTensor[], axis: number): HostTensor {
  const first = parts[0];
  const shape = [...first.shape];
  shape[axis] = parts.reduce((total, part) => total + part.shape[axis], 0);
  const data = allocate(first.dtype, checkedSize(shape, 'Concat'));
  const outer = first.shape.slice(0, axis).reduce((product, dimension) => product * dimension, 1);
  const rowSize = (part: HostTensor) => part.shape.slice(axis).reduce((product, dimension) => product * dimension, 1);
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const part of parts) {
      const row = rowSize(part);
      data.set(part.data.subarray(o * row, (o + 1) * row), offset);
      offset += row;
    }
  }
  return { dtype: first.dtype, shape, data };
}

/** Gather along `axis` with already-normalized (non-negative, in range) indices. */
export function hostGather(x: HostTensor, indices: HostTensor, axis: number): HostTensor {
  const inputStrides = strides(x.shape);
  const indexStrides = strides(indices.shape);
  const indexRank = indices.shape.length;
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  return gatherElements(
    x,
    shape,
    (coordinates) => {
      let index = 0;
      for (let k = 0; k < axis; k++) index += coordinates[k] * inputStrides[k];
      let position = 0;
      for (let k = 0; k < indexRank; k++) position += coordinates[axis + k] * indexStrides[k];
      index += indices.data[position] * inputStrides[axis];
      for (let k = axis + 1; k < x.shape.length; k++) index += coordinates[k + indexRank - 1] * inputStrides[k];
      return index;
    },
    'Gather',
  );
}

/** Broadcasts `x` to `shape` (NumPy rules), e.g. for Expand. */
export function hostBroadcast(x: HostTensor, shape: readonly number[]): HostTensor {
  const offset = shape.length - x.shape.length;
  const inputStrides = strides(x.shape);
  return gatherElements(
    x,
    shape,
    (coordinates) => {
      let index = 0;
      for (let axis = 0; axis < x.shape.length; axis++)
        index += (x.shape[axis] === 1 ? 0 : coordinates[axis + offset]) * inputStrides[axis];
      return index;
    },
    'Expand',
  );
}

/** An element-wise function of two broadcast host tensors. */
export function hostBinary(
  a: HostTensor,
  b: HostTensor,
  dtype: HostDType,
  fn: (left: number, right: number) => number,
): HostTensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const left = hostBroadcast(a, shape);
  const right = hostBroadcast(b, shape);
  const data = allocate(dtype, left.data.length);
  for (let k = 0; k < data.length; k++) data[k] = fn(left.data[k], right.data[k]);
  return { dtype, shape, data };
}

/** Sums over `axes` (all when empty and `noopWithEmptyAxes` is false). */
export function hostReduceSum(x: HostTensor, axes: readonly number[], keepDims: boolean): HostTensor {
  const reduced = new Set(axes.length === 0 ? x.shape.map((_, axis) => axis) : axes);
  const keptShape = x.shape.map((dimension, axis) => (reduced.has(axis) ? 1 : dimension));
  const data = allocate(x.dtype, checkedSize(keptShape, 'ReduceSum'));
  const inputStrides = strides(x.shape);
  const outputStrides = strides(keptShape);
  for (let k = 0; k < x.data.length; k++) {
    let target = 0;
    for (let axis = 0; axis < x.shape.length; axis++) {
      const coordinate = Math.floor(k / inputStrides[axis]) % x.shape[axis];
      if (!reduced.has(axis)) target += coordinate * outputStrides[axis];
    }
    data[target] += x.data[k];
  }
  const shape = keepDims ? keptShape : x.shape.filter((_, axis) => !reduced.has(axis));
  return { dtype: x.dtype, shape, data };
}

/** Resolves a possibly negative axis against a rank, with an error naming the op. */
export function resolveAxis(axis: number, rank: number, what: string): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved >= rank) {
    throw new ShapeError(`${what}: axis ${axis} is outside a tensor of rank ${rank}.`);
  }
  return resolved;
}
