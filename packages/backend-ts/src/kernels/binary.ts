import type { BinaryOp, Shape, TensorInfo } from '@recur/core';
import { ShapeError, ValueError, formatShape, sizeOf, stridesOf } from '@recur/core';
import { floatValuesOf, makeTensor } from '../tensor-storage.js';

/** Each BinaryOp as a scalar function; comparisons give 1 or 0 (float masks). */
const BINARY_FUNCTIONS: Readonly<Record<BinaryOp, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: Math.max,
  minimum: Math.min,
  equal: (a, b) => (a === b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
};

/** The NumPy broadcast of two shapes, or a ShapeError naming both. */
export function broadcastShape(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const result = new Array<number>(rank);
  for (let axis = 0; axis < rank; axis++) {
    const da = a[a.length - rank + axis] ?? 1;
    const db = b[b.length - rank + axis] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`Shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together.`);
    }
    result[axis] = da === 1 ? db : da;
  }
  return result;
}

/**
 * Whether `small`, broadcast to `out`, is `small` repeated end to end: true when, after the
 * leading axes of size 1, its shape equals the trailing axes of `out` (a bias row added to
 * every row of a matrix). Then element k of the result reads small[k % small.length].
 */
function repeatsAsSuffix(small: Shape, out: Shape): boolean {
  let first = 0;
  while (first < small.length && small[first] === 1) first++;
  const tail = small.length - first;
  if (tail > out.length) return false;
  for (let axis = 0; axis < tail; axis++) {
    if (small[first + axis] !== out[out.length - tail + axis]) return false;
  }
  return true;
}

/** Strides of `shape` read inside the broadcast shape `out`: 0 on broadcast axes. */
function broadcastStrides(shape: Shape, out: Shape): number[] {
  const own = stridesOf(shape);
  const offset = out.length - shape.length;
  return out.map((dimension, axis) => {
    const ownAxis = axis - offset;
    return ownAxis < 0 || shape[ownAxis] === 1 ? 0 : own[ownAxis];
  });
}

/** Element-wise `op(a, b)` with NumPy broadcasting, into a new float32 tensor. */
export function binary(op: BinaryOp, a: TensorInfo, b: TensorInfo): TensorInfo {
  const apply = BINARY_FUNCTIONS[op];
  if (apply === undefined) throw new ValueError(`Unknown binary operation '${String(op)}'.`);
  const left = floatValuesOf(a, `binary '${op}'`);
  const right = floatValuesOf(b, `binary '${op}'`);
  const shape = broadcastShape(a.shape, b.shape);
  const size = sizeOf(shape);
  const output = new Float32Array(size);

  const full = (values: Float32Array) => values.length === size || values.length === 1;
  if (size > 1 && full(left) && full(right) && arithmetic(op, left, right, output)) {
    // Done: the optimizers' and the gradient table's hot element-wise loops.
  } else if (left.length === size && right.length === size) {
    // Same size after broadcasting means same layout: both operands are already full.
    for (let k = 0; k < size; k++) output[k] = apply(left[k], right[k]);
  } else if (right.length === 1) {
    const scalar = right[0];
    for (let k = 0; k < size; k++) output[k] = apply(left[k], scalar);
  } else if (left.length === 1) {
    const scalar = left[0];
    for (let k = 0; k < size; k++) output[k] = apply(scalar, right[k]);
  } else if (left.length === size && repeatsAsSuffix(b.shape, shape)) {
    const period = right.length;
    for (let start = 0; start < size; start += period) {
      for (let k = 0; k < period; k++) output[start + k] = apply(left[start + k], right[k]);
    }
  } else if (right.length === size && repeatsAsSuffix(a.shape, shape)) {
    const period = left.length;
    for (let start = 0; start < size; start += period) {
      for (let k = 0; k < period; k++) output[start + k] = apply(left[k], right[start + k]);
    }
  } else if (size > 0) {
    broadcastGeneral(
      apply,
      left,
      broadcastStrides(a.shape, shape),
      right,
      broadcastStrides(b.shape, shape),
      shape,
      output,
    );
  }
  return makeTensor(output, shape, 'float32');
}

/**
 * `+ - * /` on full operands or a scalar, with the operation written out in its own loop: a call
 * through the shared `apply` per element cannot be inlined (it sees every operation) and costs
 * several times the arithmetic on the million-element updates of optimizers. Returns false for
 * other operations.
 */
function arithmetic(op: BinaryOp, left: Float32Array, right: Float32Array, output: Float32Array): boolean {
  const n = output.length;
  const a = left[0];
  const b = right[0];
  const leftScalar = left.length === 1;
  const rightScalar = right.length === 1;
  switch (op) {
    case 'add':
      if (rightScalar) for (let k = 0; k < n; k++) output[k] = left[k] + b;
      else if (leftScalar) for (let k = 0; k < n; k++) output[k] = a + right[k];
      else for (let k = 0; k < n; k++) output[k] = left[k] + right[k];
      return true;
    case 'sub':
      if (rightScalar) for (let k = 0; k < n; k++) output[k] = left[k] - b;
      else if (leftScalar) for (let k = 0; k < n; k++) output[k] = a - right[k];
      else for (let k = 0; k < n; k++) output[k] = left[k] - right[k];
      return true;
    case 'mul':
      if (rightScalar) for (let k = 0; k < n; k++) output[k] = left[k] * b;
      else if (leftScalar) for (let k = 0; k < n; k++) output[k] = a * right[k];
      else for (let k = 0; k < n; k++) output[k] = left[k] * right[k];
      return true;
    case 'div':
      if (rightScalar) for (let k = 0; k < n; k++) output[k] = left[k] / b;
      else if (leftScalar) for (let k = 0; k < n; k++) output[k] = a / right[k];
      else for (let k = 0; k < n; k++) output[k] = left[k] / right[k];
      return true;
    default:
      return false;
  }
}

/** Any broadcast: walks the output with an odometer over all but the last axis. */
function broadcastGeneral(
  apply: (a: number, b: number) => number,
  left: Float32Array,
  leftStrides: readonly number[],
  right: Float32Array,
  rightStrides: readonly number[],
  shape: readonly number[],
  output: Float32Array,
): void {
  const rank = shape.length;
  const last = rank - 1;
  const inner = shape[last];
  const leftStep = leftStrides[last];
  const rightStep = rightStrides[last];
  const index = new Array<number>(rank).fill(0);
  let leftBase = 0;
  let rightBase = 0;
  for (let start = 0; start < output.length; start += inner) {
    for (let k = 0; k < inner; k++) {
      output[start + k] = apply(left[leftBase + k * leftStep], right[rightBase + k * rightStep]);
    }
    // Advance the odometer over the outer axes, keeping both base offsets in step.
    for (let axis = last - 1; axis >= 0; axis--) {
      index[axis]++;
      leftBase += leftStrides[axis];
      rightBase += rightStrides[axis];
      if (index[axis] < shape[axis]) break;
      leftBase -= leftStrides[axis] * shape[axis];
      rightBase -= rightStrides[axis] * shape[axis];
      index[axis] = 0;
    }
  }
}
