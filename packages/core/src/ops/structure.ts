import { runPrimitive } from '../autodiff/primitive.js';
import { ShapeError, formatShape } from '../errors.js';
import { normalizeAxis, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Same values in a new shape; one dimension may be -1 and is inferred. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const inferred = shape.indexOf(-1);
  const known = shape.reduce((product, dimension) => (dimension === -1 ? product : product * dimension), 1);
  const target =
    inferred === -1 ? [...shape] : shape.map((dimension) => (dimension === -1 ? x.size / known : dimension));
  if (sizeOf(target) !== x.size || target.some((dimension) => !Number.isInteger(dimension) || dimension < 0)) {
    throw new ShapeError(
      `Cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}.`,
    );
  }
  return runPrimitive(x.engine, 'reshape', [x], {}, (backend) => backend.reshape(x.info, target))[0];
}

/** Permutes the axes; by default reverses them. */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const order = perm ?? x.shape.map((_, axis) => x.rank - 1 - axis);
  if (order.length !== x.rank || [...order].sort((p, q) => p - q).some((axis, k) => axis !== k)) {
    throw new ShapeError(
      `transpose: [${order.join(', ')}] is not a permutation of the ${x.rank} axes of ${formatShape(x.shape)}.`,
    );
  }
  return runPrimitive(x.engine, 'transpose', [x], { perm: order }, (backend) => backend.transpose(x.info, order))[0];
}

/** The block starting at `begin` with extent `size` (-1 in `size` means "to the end"). */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  if (begin.length !== x.rank || size.length !== x.rank) {
    throw new ShapeError(`slice: begin and size need ${x.rank} entries for a tensor of shape ${formatShape(x.shape)}.`);
  }
  const extent = size.map((length, axis) => (length === -1 ? x.shape[axis] - begin[axis] : length));
  extent.forEach((length, axis) => {
    if (begin[axis] < 0 || length < 0 || begin[axis] + length > x.shape[axis]) {
      throw new ShapeError(
        `slice: [${begin[axis]}, ${begin[axis] + length}) is outside axis ${axis} of ${formatShape(x.shape)}.`,
      );
    }
  });
  return runPrimitive(x.engine, 'slice', [x], { begin: [...begin], size: extent }, (backend) =>
    backend.slice(x.info, begin, extent),
  )[0];
}

/** Joins tensors along `axis`; all other dimensions must agree. */
export function concat(tensors: readonly Tensor[], axis: number): Tensor {
  if (tensors.length === 0) throw new ShapeError('concat needs at least one tensor.');
  const first = tensors[0];
  const resolved = normalizeAxis(axis, first.rank, 'concat');
  for (const tensor of tensors) {
    if (
      tensor.rank !== first.rank ||
      tensor.shape.some((dimension, k) => k !== resolved && dimension !== first.shape[k])
    ) {
      throw new ShapeError(
        `concat on axis ${resolved}: shapes ${tensors.map((t) => formatShape(t.shape)).join(', ')} do not agree on the other axes.`,
      );
    }
  }
  if (tensors.length === 1) return first;
  return runPrimitive(first.engine, 'concat', tensors, { axis: resolved }, (backend) =>
    backend.concat(
      tensors.map((tensor) => tensor.info),
      resolved,
    ),
  )[0];
}

/** Reverses the order of elements along `axis`. */
export function reverse(x: Tensor, axis: number): Tensor {
  const resolved = normalizeAxis(axis, x.rank, 'reverse');
  return runPrimitive(x.engine, 'reverse', [x], { axis: resolved }, (backend) => backend.reverse(x.info, resolved))[0];
}

/** Splits `x` along `axis` into equal pieces of `size`. */
export function split(x: Tensor, axis: number, size: number): Tensor[] {
  const resolved = normalizeAxis(axis, x.rank, 'split');
  if (x.shape[resolved] % size !== 0) {
    throw new ShapeError(`split: axis ${resolved} of ${formatShape(x.shape)} does not divide into pieces of ${size}.`);
  }
  const pieces: Tensor[] = [];
  for (let start = 0; start < x.shape[resolved]; start += size) {
    const begin = x.shape.map((_, k) => (k === resolved ? start : 0));
    const extent = x.shape.map((dimension, k) => (k === resolved ? size : dimension));
    pieces.push(slice(x, begin, extent));
  }
  return pieces;
}

/** Inserts an axis of size 1. */
export function expandDims(x: Tensor, axis: number): Tensor {
  const resolved = axis < 0 ? axis + x.rank + 1 : axis;
  const shape = [...x.shape];
  shape.splice(resolved, 0, 1);
  return reshape(x, shape);
}
