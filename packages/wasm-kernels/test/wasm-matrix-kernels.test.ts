import { describe, expect, it } from 'vitest';
import { RandomGenerator } from '@recur/core';
import type { MatrixView } from '@recur/backend-ts';
import { loadWasmKernels } from '../src/index.js';

/**
 * The WebAssembly GEMM against the definition of the product. Entries are multiples of 1/8 in
 * [-1, 1], so every product is a multiple of 1/64 and every partial sum (|sum| <= k < 2^18) is
 * exact in float32: any summation order, the SIMD lanes' included, gives exactly the
 * definition's numbers, and results compare for equality.
 */

const kernels = await loadWasmKernels();

function eighths(random: RandomGenerator, count: number): Float32Array {
  return Float32Array.from({ length: count }, () => (random.integer(17) - 8) / 8);
}

/** op(X)[row][column] of a view. */
function entry(view: MatrixView, row: number, column: number): number {
  const [storedRow, storedColumn] = view.transposed ? [column, row] : [row, column];
  return view.values[view.offset + storedRow * view.rowStride + storedColumn];
}

/** The expected C after C (=|+=) op(A) · op(B), as plain loops over the definition. */
function definition(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
): Float32Array {
  const expected = c.slice();
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = accumulate ? c[cOffset + i * cRowStride + j] : 0;
      for (let p = 0; p < k; p++) sum += entry(a, i, p) * entry(b, p, j);
      expected[cOffset + i * cRowStride + j] = sum;
    }
  }
  return expected;
}

/**
 * A product whose operands sit inside larger buffers (offset, padded row stride) and whose C is
 * a strided sub-matrix, as the sequence kernels use them; entries of C outside it must survive.
 */
function stridedProduct(
  m: number,
  n: number,
  k: number,
  transposeA: boolean,
  transposeB: boolean,
  accumulate: boolean,
  immutableB = false,
) {
  const random = new RandomGenerator(m * 7919 + n * 104729 + k * 31 + (transposeA ? 1 : 0) + (transposeB ? 2 : 0));
  const [aRows, aColumns] = transposeA ? [k, m] : [m, k];
  const [bRows, bColumns] = transposeB ? [n, k] : [k, n];
  const a: MatrixView = {
    values: eighths(random, 3 + aRows * (aColumns + 2)),
    offset: 3,
    rowStride: aColumns + 2,
    transposed: transposeA,
  };
  const b: MatrixView = {
    values: eighths(random, 5 + bRows * (bColumns + 1)),
    offset: 5,
    rowStride: bColumns + 1,
    transposed: transposeB,
    immutable: immutableB,
  };
  const cRowStride = n + 3;
  const c = eighths(random, 2 + m * cRowStride);
  return { a, b, c, cOffset: 2, cRowStride };
}

describe('WebAssembly GEMM gives the definition exactly', () => {
  // [m, n, k, what it exercises]
  const shapes: readonly [number, number, number, string][] = [
    [1, 1024, 256, 'one row (a stream step): four B panels at a time'],
    [3, 13, 7, 'three rows (below a tile) and a partial B panel'],
    [4, 8, 1, 'one whole tile, a shared dimension of 1'],
    [37, 21, 9, 'edge rows and columns of the 4 x 8 tiles'],
    [9, 6, 1100, 'three blocks of the shared dimension, the last partial'],
    [130, 70, 64, 'many tiles in both directions'],
  ];
  for (const [m, n, k, what] of shapes) {
    for (const [transposeA, transposeB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      for (const accumulate of [false, true]) {
        it(`[${m}x${k}]${transposeA ? 'ᵀ' : ''} · [${k}x${n}]${transposeB ? 'ᵀ' : ''}${accumulate ? ' added to C' : ''}: ${what}`, () => {
          const { a, b, c, cOffset, cRowStride } = stridedProduct(m, n, k, transposeA, transposeB, accumulate);
          const expected = definition(m, n, k, a, b, c, cOffset, cRowStride, accumulate);
          kernels.gemm(m, n, k, a, b, c, cOffset, cRowStride, accumulate);
          expect(c).toEqual(expected);
        });
      }
    }
  }
});

describe('weights kept packed between calls', () => {
  it('reuses an immutable B for new A operands and re-reads a mutable B every call', () => {
    const random = new RandomGenerator(7);
    const [m, n, k] = [5, 20, 30];
    const weights: MatrixView = {
      values: eighths(random, k * n),
      offset: 0,
      rowStride: n,
      transposed: false,
      immutable: true,
    };
    const scratch: MatrixView = { values: eighths(random, k * n), offset: 0, rowStride: n, transposed: false };
    for (let call = 0; call < 3; call++) {
      const a: MatrixView = { values: eighths(random, m * k), offset: 0, rowStride: k, transposed: false };
      for (const b of [weights, scratch]) {
        const c = new Float32Array(m * n);
        const expected = definition(m, n, k, a, b, c, 0, n, false);
        kernels.gemm(m, n, k, a, b, c, 0, n, false);
        expect(c).toEqual(expected);
      }
      // A kernel's scratch buffer gets new contents between calls; it is not marked immutable.
      scratch.values.set(eighths(random, k * n));
    }
  });

  it('keeps the transposed and the plain use of one weight apart', () => {
    const random = new RandomGenerator(8);
    const size = 24;
    const values = eighths(random, size * size);
    const a: MatrixView = { values: eighths(random, 6 * size), offset: 0, rowStride: size, transposed: false };
    for (const transposed of [false, true, false]) {
      const b: MatrixView = { values, offset: 0, rowStride: size, transposed, immutable: true };
      const c = new Float32Array(6 * size);
      const expected = definition(6, size, size, a, b, c, 0, size, false);
      kernels.gemm(6, size, size, a, b, c, 0, size, false);
      expect(c).toEqual(expected);
    }
  });

  it('stays exact when more weights are used than the resident budget holds (the region is recycled)', async () => {
    // 16 KB holds two packed 32 x 64 weights (8 KB each): cycling through five recycles it often.
    const small = await loadWasmKernels({ residentBytes: 16 * 1024 });
    const random = new RandomGenerator(9);
    const [m, n, k] = [4, 64, 32];
    const weights = Array.from({ length: 5 }, () => ({
      values: eighths(random, k * n),
      offset: 0,
      rowStride: n,
      transposed: false,
      immutable: true,
    }));
    // A weight larger than the whole budget is packed in scratch every time.
    const large: MatrixView = {
      values: eighths(random, 512 * n),
      offset: 0,
      rowStride: n,
      transposed: false,
      immutable: true,
    };
    for (let round = 0; round < 3; round++) {
      for (const b of [...weights, large]) {
        const depth = b === large ? 512 : k;
        const a: MatrixView = { values: eighths(random, m * depth), offset: 0, rowStride: depth, transposed: false };
        const c = new Float32Array(m * n);
        const expected = definition(m, n, depth, a, b, c, 0, n, false);
        small.gemm(m, n, depth, a, b, c, 0, n, false);
        expect(c).toEqual(expected);
      }
    }
  });

  // That the memory itself is reused is kernel-memory.test.ts's to check; here, that products stay exact.
  it('stays exact while released weights hand their memory to the next ones, and packs a released array anew if it is used again', () => {
    const random = new RandomGenerator(10);
    const [m, n, k] = [6, 40, 24];
    const newWeight = (): MatrixView => ({
      values: eighths(random, k * n),
      offset: 0,
      rowStride: n,
      transposed: false,
      immutable: true,
    });
    const check = (b: MatrixView) => {
      const a: MatrixView = { values: eighths(random, m * k), offset: 0, rowStride: k, transposed: false };
      const c = new Float32Array(m * n);
      const expected = definition(m, n, k, a, b, c, 0, n, false);
      kernels.gemm(m, n, k, a, b, c, 0, n, false);
      expect(c).toEqual(expected);
    };
    let weight = newWeight();
    check(weight);
    for (let update = 0; update < 4; update++) {
      // As a training step: the new weight is packed, then the old one is disposed.
      const next = newWeight();
      check(next);
      kernels.release!(weight.values);
      check(next);
      // A tensor sharing the released storage (a reshape) may still be used: packed again.
      check(weight);
      weight = next;
    }
  });

  it('grows its memory for a product larger than any before and stays exact', () => {
    const { a, b, c, cOffset, cRowStride } = stridedProduct(300, 400, 700, false, true, true, true);
    const expected = definition(300, 400, 700, a, b, c, cOffset, cRowStride, true);
    kernels.gemm(300, 400, 700, a, b, c, cOffset, cRowStride, true);
    expect(c).toEqual(expected);
  });
});
