import type { BinaryOp, UnaryOp } from '@recur/core';
import { sizeOfShape, tabulate, unravelIndex, valueAt, type HostTensor } from './host-tensor.js';

/**
 * Independent float64 oracles for the primitives, written from the definitions with plain
 * index loops on the host. They share no code with core or any backend, so a case's expected
 * values come from the math, not from the implementation under test.
 */

/** Each unary primitive's definition (see UnaryOp in the kernel contract). */
export const UNARY_DEFINITIONS: { readonly [K in UnaryOp]: (x: number) => number } = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  step: (x) => (x > 0 ? 1 : 0),
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  sqrt: (x) => Math.sqrt(x),
  square: (x) => x * x,
  tanh: (x) => Math.tanh(x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  hardSigmoid: (x) => Math.min(1, Math.max(0, x / 6 + 0.5)),
  softsign: (x) => x / (1 + Math.abs(x)),
  relu: (x) => Math.max(0, x),
};

/** Each binary primitive's definition; comparisons give 1 or 0. */
export const BINARY_DEFINITIONS: { readonly [K in BinaryOp]: (a: number, b: number) => number } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => Math.max(a, b),
  minimum: (a, b) => Math.min(a, b),
  equal: (a, b) => (a === b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
};

export function oracleUnary(op: UnaryOp, x: HostTensor): HostTensor {
  return { shape: x.shape, values: x.values.map(UNARY_DEFINITIONS[op]), dtype: 'float32' };
}

/** NumPy broadcasting: align shapes on the right; an axis of size 1 repeats. */
export function oracleBinary(op: BinaryOp, a: HostTensor, b: HostTensor): HostTensor {
  const rank = Math.max(a.shape.length, b.shape.length);
  const aligned = (shape: readonly number[]) => [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const shapeA = aligned(a.shape);
  const shapeB = aligned(b.shape);
  const shape = shapeA.map((dimension, axis) => Math.max(dimension, shapeB[axis]));
  const pick = (tensor: HostTensor, alignedShape: number[], index: number[]) =>
    valueAt(
      tensor,
      index
        .slice(rank - tensor.shape.length)
        .map((position, k) => (alignedShape[rank - tensor.shape.length + k] === 1 ? 0 : position)),
    );
  return tabulate(shape, (index) => BINARY_DEFINITIONS[op](pick(a, shapeA, index), pick(b, shapeB, index)));
}

/** Matrix product of rank-2 or batched rank-3 operands, with the last two axes optionally transposed. */
export function oracleMatmul(a: HostTensor, b: HostTensor, transposeA: boolean, transposeB: boolean): HostTensor {
  const batched = a.shape.length === 3;
  const rows = a.shape[a.shape.length - (transposeA ? 1 : 2)];
  const inner = a.shape[a.shape.length - (transposeA ? 2 : 1)];
  const columns = b.shape[b.shape.length - (transposeB ? 2 : 1)];
  const entryA = (batch: number, i: number, k: number) =>
    valueAt(a, [...(batched ? [batch] : []), ...(transposeA ? [k, i] : [i, k])]);
  const entryB = (batch: number, k: number, j: number) =>
    valueAt(b, [...(batched ? [batch] : []), ...(transposeB ? [j, k] : [k, j])]);
  const shape = batched ? [a.shape[0], rows, columns] : [rows, columns];
  return tabulate(shape, (index) => {
    const [batch, i, j] = batched ? index : [0, ...index];
    let total = 0;
    for (let k = 0; k < inner; k++) total += entryA(batch, i, k) * entryB(batch, k, j);
    return total;
  });
}

/** Sum or maximum over `axes`, which are removed from the shape. */
export function oracleReduce(op: 'sum' | 'max', x: HostTensor, axes: readonly number[]): HostTensor {
  const kept = x.shape.map((_, axis) => axis).filter((axis) => !axes.includes(axis));
  const shape = kept.map((axis) => x.shape[axis]);
  const results = new Array<number>(sizeOfShape(shape)).fill(op === 'sum' ? 0 : -Infinity);
  const outputStrides = shape.map((_, k) => sizeOfShape(shape.slice(k + 1)));
  for (let flat = 0; flat < x.values.length; flat++) {
    const index = unravelIndex(flat, x.shape);
    const target = kept.reduce((offset, axis, k) => offset + index[axis] * outputStrides[k], 0);
    results[target] = op === 'sum' ? results[target] + x.values[flat] : Math.max(results[target], x.values[flat]);
  }
  return { shape, values: results, dtype: 'float32' };
}

/** Output axis k is input axis perm[k]. */
export function oracleTranspose(x: HostTensor, perm: readonly number[]): HostTensor {
  const shape = perm.map((axis) => x.shape[axis]);
  return tabulate(
    shape,
    (index) =>
      valueAt(
        x,
        x.shape.map((_, axis) => index[perm.indexOf(axis)]),
      ),
    x.dtype,
  );
}

export function oracleSlice(x: HostTensor, begin: readonly number[], size: readonly number[]): HostTensor {
  return tabulate(
    size,
    (index) =>
      valueAt(
        x,
        index.map((position, axis) => position + begin[axis]),
      ),
    x.dtype,
  );
}

export function oracleConcat(tensors: readonly HostTensor[], axis: number): HostTensor {
  const shape = [...tensors[0].shape];
  shape[axis] = tensors.reduce((total, tensor) => total + tensor.shape[axis], 0);
  return tabulate(
    shape,
    (index) => {
      let position = index[axis];
      for (const tensor of tensors) {
        if (position < tensor.shape[axis])
          return valueAt(
            tensor,
            index.map((value, k) => (k === axis ? position : value)),
          );
        position -= tensor.shape[axis];
      }
      throw new Error('Suite bug: concat index out of range.');
    },
    tensors[0].dtype,
  );
}

export function oracleReverse(x: HostTensor, axis: number): HostTensor {
  return tabulate(
    x.shape,
    (index) =>
      valueAt(
        x,
        index.map((value, k) => (k === axis ? x.shape[axis] - 1 - value : value)),
      ),
    x.dtype,
  );
}

/** Rows of a `[R, D]` table picked by indices of any shape: `[...indices.shape, D]`. */
export function oracleGather(table: HostTensor, indices: HostTensor): HostTensor {
  const depth = table.shape[1];
  return tabulate([...indices.shape, depth], (index) => {
    const row = indices.shape.length === 0 ? indices.values[0] : valueAt(indices, index.slice(0, -1));
    return valueAt(table, [row, index[index.length - 1]]);
  });
}

/** `[rows, D]` zeros with row k of `updates` added at `indices[k]` (repeats accumulate). */
export function oracleScatterAdd(indices: HostTensor, updates: HostTensor, rows: number): HostTensor {
  const depth = updates.shape[1];
  const values = new Array<number>(rows * depth).fill(0);
  indices.values.forEach((row, k) => {
    for (let d = 0; d < depth; d++) values[row * depth + d] += updates.values[k * depth + d];
  });
  return { shape: [rows, depth], values, dtype: 'float32' };
}
