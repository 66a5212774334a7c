import type { Shape } from '../backend/kernel-backend.js';
import { ShapeError, formatShape } from '../errors.js';

/** Number of elements in a tensor of this shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const dimension of shape) size *= dimension;
  return size;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

/** The NumPy broadcast of two shapes, or a ShapeError naming both. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const result = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`Shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together.`);
    }
    result[i] = da === 1 ? db : da;
  }
  return result;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dimension, i) => dimension === b[i]);
}

/** Resolves a possibly negative axis against a rank, or throws naming the operation. */
export function normalizeAxis(axis: number, rank: number, operation: string): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved >= rank) {
    throw new ShapeError(`${operation}: axis ${axis} is out of range for a tensor of rank ${rank}.`);
  }
  return resolved;
}
