import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '@recur/core';
import { KERNEL_CONTRACT_VERSION } from '@recur/core';
import { tsBackend } from '../src/index.js';

/**
 * A few primitive checks whose expected values follow from the math alone. The shared
 * conformance suite covers the primitives broadly; these guard the fast paths of this backend.
 */

const backend = tsBackend();
const f32 = (values: number[], shape: number[]): TensorInfo =>
  backend.upload(Float32Array.from(values), shape, 'float32');
const i32 = (values: number[], shape: number[]): TensorInfo => backend.upload(Int32Array.from(values), shape, 'int32');
const read = (tensor: TensorInfo): number[] => Array.from(backend.download(tensor));
const range = (size: number): number[] => Array.from({ length: size }, (_, k) => k);

describe('backend object', () => {
  it('speaks the current contract and makes independent instances', () => {
    expect(backend.contractVersion).toBe(KERNEL_CONTRACT_VERSION);
    expect(backend.name).toBe('ts');
    expect(tsBackend()).not.toBe(backend);
  });

  it('upload copies its input and download returns a copy', () => {
    const values = new Float32Array([1, 2, 3]);
    const tensor = backend.upload(values, [3], 'float32');
    values[0] = 99;
    const first = backend.download(tensor);
    first[1] = 99;
    expect(read(tensor)).toEqual([1, 2, 3]);
  });
});

describe('unary', () => {
  it('hardSigmoid is clip(x / 6 + 0.5, 0, 1)', () => {
    expect(read(backend.unary('hardSigmoid', f32([0, 3, -3, 1.5, 10, -10], [6])))).toEqual([0.5, 1, 0, 0.75, 1, 0]);
  });

  it('step, sign, softsign and relu at known points', () => {
    const x = f32([-2, 0, 3], [3]);
    expect(read(backend.unary('step', x))).toEqual([0, 0, 1]);
    expect(read(backend.unary('sign', x))).toEqual([-1, 0, 1]);
    expect(read(backend.unary('softsign', x))).toEqual([-2 / 3, 0, 0.75].map(Math.fround));
    expect(read(backend.unary('relu', x))).toEqual([0, 0, 3]);
    expect(read(backend.unary('sigmoid', f32([0], [1])))).toEqual([0.5]);
  });
});

describe('binary broadcasting', () => {
  it('adds a row, a column and a scalar by NumPy rules', () => {
    const matrix = f32([1, 2, 3, 4, 5, 6], [2, 3]);
    const row = backend.binary('add', matrix, f32([10, 20, 30], [3]));
    expect(row.shape).toEqual([2, 3]);
    expect(read(row)).toEqual([11, 22, 33, 14, 25, 36]);
    const column = backend.binary('sub', matrix, f32([1, 4], [2, 1]));
    expect(read(column)).toEqual([0, 1, 2, 0, 1, 2]);
    const scalar = backend.binary('mul', f32([2], []), matrix);
    expect(scalar.shape).toEqual([2, 3]);
    expect(read(scalar)).toEqual([2, 4, 6, 8, 10, 12]);
  });

  it('broadcasts both operands: [3, 1] against [1, 2] gives [3, 2]', () => {
    const outer = backend.binary('mul', f32([1, 2, 3], [3, 1]), f32([10, 100], [1, 2]));
    expect(outer.shape).toEqual([3, 2]);
    expect(read(outer)).toEqual([10, 100, 20, 200, 30, 300]);
  });

  it('broadcasts a middle axis: [2, 1, 2] against [2, 3, 1]', () => {
    const sum = backend.binary('add', f32([0, 1, 2, 3], [2, 1, 2]), f32([0, 10, 20, 30, 40, 50], [2, 3, 1]));
    expect(sum.shape).toEqual([2, 3, 2]);
    expect(read(sum)).toEqual([0, 1, 10, 11, 20, 21, 32, 33, 42, 43, 52, 53]);
  });

  it('comparisons give float masks and shape mismatches throw', () => {
    expect(read(backend.binary('greater', f32([1, 2, 3], [3]), f32([2], [1])))).toEqual([0, 0, 1]);
    expect(read(backend.binary('equal', f32([1, 2, 3], [3]), f32([2], [1])))).toEqual([0, 1, 0]);
    expect(() => backend.binary('add', f32([1, 2, 3], [3]), f32([1, 2], [2]))).toThrow(/broadcast/);
  });
});

describe('matmul', () => {
  const a = f32([1, 2, 3, 4, 5, 6], [2, 3]);

  it('multiplies by the identity and a known product', () => {
    const identity = f32([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]);
    expect(read(backend.matmul(a, identity, false, false))).toEqual([1, 2, 3, 4, 5, 6]);
    // [[1,2,3],[4,5,6]] · [[1,2,3],[4,5,6]]ᵀ = [[14, 32], [32, 77]]
    const gram = backend.matmul(a, a, false, true);
    expect(gram.shape).toEqual([2, 2]);
    expect(read(gram)).toEqual([14, 32, 32, 77]);
    // aᵀ · a = [[17,22,27],[22,29,36],[27,36,45]]
    expect(read(backend.matmul(a, a, true, false))).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
    // aᵀ · aᵀ is [3,2]·[3,2]: inner sizes differ
    expect(() => backend.matmul(a, a, true, true)).toThrow();
    // Both flags: sᵀ · sᵀ = (s · s)ᵀ = [[7, 10], [15, 22]]ᵀ
    const square = f32([1, 2, 3, 4], [2, 2]);
    expect(read(backend.matmul(square, square, true, true))).toEqual([7, 15, 10, 22]);
  });

  it('multiplies batches of matrices', () => {
    const batch = f32([1, 2, 3, 4, 2, 0, 0, 2], [2, 2, 2]);
    const product = backend.matmul(batch, batch, false, false);
    expect(product.shape).toEqual([2, 2, 2]);
    expect(read(product)).toEqual([7, 10, 15, 22, 4, 0, 0, 4]);
  });
});

describe('reduce', () => {
  const x = f32(range(24), [2, 3, 4]);
  it('sums and maxes over leading, trailing and split axes', () => {
    expect(read(backend.reduce('sum', x, [2]))).toEqual([6, 22, 38, 54, 70, 86]);
    expect(read(backend.reduce('sum', x, [0]))).toEqual(range(12).map((k) => k + (k + 12)));
    const outer = backend.reduce('max', x, [0, 2]);
    expect(outer.shape).toEqual([3]);
    expect(read(outer)).toEqual([15, 19, 23]);
    const all = backend.reduce('sum', x, [0, 1, 2]);
    expect(all.shape).toEqual([]);
    expect(read(all)).toEqual([276]);
  });
});

describe('layout', () => {
  const x = f32(range(24), [2, 3, 4]);

  it('transpose round-trips for every permutation of rank 3', () => {
    const perms = [
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const perm of perms) {
      const inverse = perm.map((_, axis) => perm.indexOf(axis));
      const there = backend.transpose(x, perm);
      expect(there.shape).toEqual(perm.map((axis) => x.shape[axis]));
      expect(read(backend.transpose(there, inverse))).toEqual(range(24));
    }
    // A known element: out[k][j][i] = x[i][j][k]; out[3][2][1] = x[1][2][3] = 23.
    expect(read(backend.transpose(x, [2, 1, 0]))[3 * 6 + 2 * 2 + 1]).toBe(23);
  });

  it('slice, concat and reverse agree with index arithmetic', () => {
    const block = backend.slice(x, [1, 1, 2], [1, 2, 2]);
    expect(block.shape).toEqual([1, 2, 2]);
    expect(read(block)).toEqual([18, 19, 22, 23]);
    const left = backend.slice(x, [0, 0, 0], [2, 3, 1]);
    const right = backend.slice(x, [0, 0, 1], [2, 3, 3]);
    expect(read(backend.concat([left, right], 2))).toEqual(range(24));
    const reversed = backend.reverse(f32(range(6), [2, 3]), 1);
    expect(read(reversed)).toEqual([2, 1, 0, 5, 4, 3]);
    expect(read(backend.reverse(f32(range(6), [2, 3]), 0))).toEqual([3, 4, 5, 0, 1, 2]);
  });

  it('reshape keeps values', () => {
    const flat = backend.reshape(x, [24]);
    expect(read(flat)).toEqual(range(24));
    expect(() => backend.reshape(x, [5, 5])).toThrow();
  });
});

describe('gather and scatterAdd', () => {
  it('picks rows and adds them back, summing repeated indices', () => {
    const table = f32([0, 1, 10, 11, 20, 21], [3, 2]);
    const indices = i32([2, 0, 2, 1], [2, 2]);
    const rows = backend.gather(table, indices);
    expect(rows.shape).toEqual([2, 2, 2]);
    expect(read(rows)).toEqual([20, 21, 0, 1, 20, 21, 10, 11]);
    const back = backend.scatterAdd(indices, rows, 3);
    expect(back.shape).toEqual([3, 2]);
    expect(read(back)).toEqual([0, 1, 10, 11, 40, 42]);
  });
});

describe('fill and cast', () => {
  it('fills and truncates toward zero when casting to int32', () => {
    expect(read(backend.fill([2, 2], 1.5, 'float32'))).toEqual([1.5, 1.5, 1.5, 1.5]);
    const cast = backend.cast(f32([1.7, -1.7, 0], [3]), 'int32');
    expect(cast.dtype).toBe('int32');
    expect(backend.download(cast)).toBeInstanceOf(Int32Array);
    expect(read(cast)).toEqual([1, -1, 0]);
  });
});

describe('donated tables', () => {
  const scalars = { alpha: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

  it('refuses an out-of-range row before writing anything', () => {
    const table = f32([1, 2, 3, 4], [2, 2]);
    expect(() => backend.scatterUpdate(table, i32([0, 2], [2]), f32([9, 9, 9, 9], [2, 2]), true)).toThrow(
      /row index 2 \(at position 1\) is outside \[0, 1\]/,
    );
    const [m, v] = [f32([0, 0, 0, 0], [2, 2]), f32([0, 0, 0, 0], [2, 2])];
    expect(() =>
      backend.adamStepRows!(table, f32([1, 1, 1, 1], [2, 2]), m, v, null, i32([0, -1], [2]), scalars, true),
    ).toThrow(/row index -1 \(at position 1\)/);
    expect(read(table)).toEqual([1, 2, 3, 4]);
    expect(read(m)).toEqual([0, 0, 0, 0]);
  });

  it('adamStepRows names a weight that is not rank 2 and indices that are not rank 1', () => {
    const vector = f32([1, 2], [2]);
    expect(() =>
      backend.adamStepRows!(vector, f32([1], [1, 1]), vector, vector, null, i32([0], [1]), scalars, false),
    ).toThrow(/rank-2 weight \[rows, columns\], got \[2\]/);
    const table = f32([1, 2, 3, 4], [2, 2]);
    expect(() =>
      backend.adamStepRows!(table, f32([1, 1], [1, 2]), table, table, null, i32([0], [1, 1]), scalars, false),
    ).toThrow(/rank-1 row indices \[K\], got \[1, 1\]/);
  });
});
