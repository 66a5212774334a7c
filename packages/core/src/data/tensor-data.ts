import type { DType } from '../backend/kernel-backend.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import { sizeOf } from '../tensor/shape.js';

/** Host-side data with a shape: what users pass to fit / predict and get back from predict. */
export interface TensorData {
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array;
}

/** Nested arrays of numbers (`[[1, 2], [3, 4]]`) or TensorData. */
export type DataLike = TensorData | NestedArray;
export type NestedArray = number | readonly NestedArray[];

function isTensorData(data: unknown): data is TensorData {
  return data !== null && typeof data === 'object' && 'shape' in data && 'values' in data;
}

/**
 * Converts user data into typed values of `dtype`, checking that it is rectangular, finite and,
 * for int32, whole numbers, so bad data fails here with a message naming `what` (e.g. `x`).
 */
export function toTensorData(data: DataLike, dtype: DType, what: string): TensorData {
  let shape: number[];
  let values: Float32Array | Int32Array;
  if (isTensorData(data)) {
    shape = [...data.shape];
    if (data.values.length !== sizeOf(shape)) {
      throw new ShapeError(`${what}: ${data.values.length} values do not fill shape ${formatShape(shape)}.`);
    }
    values = dtype === 'int32' ? Int32Array.from(data.values) : Float32Array.from(data.values);
    if (dtype === 'int32' && data.values instanceof Float32Array) checkWhole(data.values, what);
  } else {
    shape = [];
    let level: unknown = data;
    while (Array.isArray(level)) {
      shape.push(level.length);
      level = level[0];
    }
    const flat: number[] = [];
    flatten(data, 0, shape, flat, what, []);
    if (dtype === 'int32') checkWhole(flat, what);
    values = dtype === 'int32' ? Int32Array.from(flat) : Float32Array.from(flat);
  }
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k])) {
      throw new ValueError(
        `${what} holds a non-finite value (${values[k]}) at flat index ${k}: clean or impute the data before training.`,
      );
    }
  }
  return { shape, values };
}

function flatten(data: unknown, depth: number, shape: number[], out: number[], what: string, path: number[]): void {
  if (depth === shape.length) {
    if (typeof data !== 'number') {
      throw new ValueError(
        `${what}${path.map((k) => `[${k}]`).join('')} is ${JSON.stringify(data)}, expected a number.`,
      );
    }
    out.push(data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new ShapeError(
      `${what} is not rectangular: ${what}${path.map((k) => `[${k}]`).join('')} has ${Array.isArray(data) ? data.length : 'no'} entries where ${shape[depth]} were expected.`,
    );
  }
  data.forEach((item, k) => flatten(item, depth + 1, shape, out, what, [...path, k]));
}

function checkWhole(values: ArrayLike<number>, what: string): void {
  for (let k = 0; k < values.length; k++) {
    if (!Number.isInteger(values[k])) {
      throw new ValueError(`${what} must hold whole numbers (token ids), but flat index ${k} is ${values[k]}.`);
    }
  }
}

/** Rows `indices` of the first axis, as a new TensorData. */
export function takeRows(data: TensorData, indices: ArrayLike<number>): TensorData {
  const rowSize = sizeOf(data.shape.slice(1));
  const values = new (data.values.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(
    indices.length * rowSize,
  );
  for (let k = 0; k < indices.length; k++) {
    values.set(data.values.subarray(indices[k] * rowSize, (indices[k] + 1) * rowSize), k * rowSize);
  }
  return { shape: [indices.length, ...data.shape.slice(1)], values };
}
