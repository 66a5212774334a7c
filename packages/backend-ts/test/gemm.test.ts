import { describe, expect, it } from 'vitest';
import { RandomGenerator } from '@recur/core';
import { tsBackend } from '../src/index.js';
import { createGemmContext, gemm } from '../src/kernels/gemm.js';

/** One backend instance's GEMM state (kept packed block), no plugged-in products. */
const context = createGemmContext(null);

/**
 * The GEMM picks a path per call (register-blocked with packing, sparse rows, few rows, dot
 * products) and blocks the shared dimension; every path and every edge must give the
 * definition's numbers. Entries are multiples of 1/8 in [-1, 1], so every product and partial
 * sum is exact in float64 and in float32: any summation order gives exactly the same result,
 * and the expected values (the definition as plain loops) can be compared for equality.
 */

const backend = tsBackend();

function eighths(random: RandomGenerator, count: number, density = 1): Float32Array {
  return Float32Array.from({ length: count }, () => (random.uniform() < density ? (random.integer(17) - 8) / 8 : 0));
}

/** op(A)[i][p] · op(B)[p][j] summed over p, from the stored row-major A [rows, columns]. */
function definition(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  transposeA: boolean,
  transposeB: boolean,
): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const left = transposeA ? a[p * m + i] : a[i * k + p];
        const right = transposeB ? b[j * k + p] : b[p * n + j];
        sum += left * right;
      }
      out[i * n + j] = sum;
    }
  }
  return out;
}

function product(
  m: number,
  n: number,
  k: number,
  transposeA: boolean,
  transposeB: boolean,
  density = 1,
): { actual: Float32Array; expected: Float32Array } {
  const random = new RandomGenerator(m * 7919 + n * 104729 + k);
  const a = eighths(random, m * k, density);
  const b = eighths(random, k * n);
  const left = backend.upload(a, transposeA ? [k, m] : [m, k], 'float32');
  const right = backend.upload(b, transposeB ? [n, k] : [k, n], 'float32');
  const actual = backend.download(backend.matmul(left, right, transposeA, transposeB)) as Float32Array;
  return { actual, expected: definition(a, b, m, n, k, transposeA, transposeB) };
}

const FLAGS: readonly [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

describe('gemm paths give the definition exactly', () => {
  // [m, n, k, what it exercises]
  const shapes: readonly [number, number, number, string][] = [
    [1, 1030, 300, 'one row (stream step), eight rows of B per pass'],
    [3, 5, 7, 'few rows with a remainder of the eight-row passes'],
    [37, 200, 1, 'a shared dimension of 1'],
    [9, 6, 1100, 'three blocks of the shared dimension, the last partial'],
    [130, 11, 70, 'two row blocks, edge rows and columns of the 4x4 tiles'],
    [64, 9, 513, 'two blocks of the shared dimension, the last one long'],
  ];
  for (const [m, n, k, what] of shapes) {
    for (const [transposeA, transposeB] of FLAGS) {
      it(`[${m}x${k}]${transposeA ? 'ᵀ' : ''} · [${k}x${n}]${transposeB ? 'ᵀ' : ''}: ${what}`, () => {
        const { actual, expected } = product(m, n, k, transposeA, transposeB);
        expect(actual).toEqual(expected);
      });
    }
  }

  for (const [transposeA, transposeB] of FLAGS) {
    it(`sparse A (one nonzero in ten), transposeA ${transposeA}, transposeB ${transposeB}`, () => {
      const { actual, expected } = product(50, 33, 64, transposeA, transposeB, 0.1);
      expect(actual).toEqual(expected);
    });
  }

  it('an all-zero A (the zero initial state) gives zeros', () => {
    const { actual } = product(16, 12, 20, false, false, 0);
    expect(Array.from(actual)).toEqual(new Array(16 * 12).fill(0));
  });
});

describe('gemm into a strided sub-matrix', () => {
  // k = 1: the input projection of a univariate series, added onto the bias.
  it.each([520, 1])('adds to every row of one time step in place and leaves the other entries alone (k = %i)', (k) => {
    // C is a [N=6, T=3, W=10] buffer; step t=1 is rows 10 apart starting at 10, W = 10 wide.
    const [m, n, steps] = [6, 10, 3];
    const random = new RandomGenerator(5);
    const a = eighths(random, m * k);
    const b = eighths(random, k * n);
    const c = eighths(random, m * steps * n);
    const before = c.slice();
    gemm(
      context,
      m,
      n,
      k,
      { values: a, offset: 0, rowStride: k, transposed: false },
      { values: b, offset: 0, rowStride: n, transposed: false },
      c,
      n,
      steps * n,
      true,
    );
    const product = definition(a, b, m, n, k, false, false);
    for (let i = 0; i < m; i++) {
      for (let t = 0; t < steps; t++) {
        for (let j = 0; j < n; j++) {
          const index = (i * steps + t) * n + j;
          expect(c[index]).toBe(t === 1 ? before[index] + product[i * n + j] : before[index]);
        }
      }
    }
  });
});

describe('gemm keeps a packed tensor-storage B for the next call', () => {
  it('reuses it only for the same storage, sub-matrix and transposition', () => {
    // [m, n, k] with a whole tile and the one-block shared dimension of the per-step products.
    const [m, n, k] = [8, 12, 20];
    const random = new RandomGenerator(11);
    const a = eighths(random, m * k);
    // Two weights of the same shape, and a buffer holding two [k × n] matrices end to end.
    const first = eighths(random, k * n);
    const second = eighths(random, k * n);
    const pair = eighths(random, 2 * k * n);
    const multiply = (values: Float32Array, offset: number, transposed: boolean, immutable: boolean) => {
      const c = new Float32Array(m * n);
      gemm(
        context,
        m,
        n,
        k,
        { values: a, offset: 0, rowStride: k, transposed: false },
        { values, offset, rowStride: transposed ? k : n, transposed, immutable },
        c,
        0,
        n,
        false,
      );
      return c;
    };
    const expected = (values: Float32Array, offset: number, transposed: boolean) =>
      definition(a, values.subarray(offset, offset + k * n), m, n, k, false, transposed);
    for (const [values, offset, transposed, immutable] of [
      [first, 0, false, true],
      [first, 0, false, true],
      [second, 0, false, true],
      [first, 0, true, true],
      [pair, 0, false, true],
      [pair, k * n, false, true],
      [first, 0, false, true],
    ] as const) {
      expect(multiply(values, offset, transposed, immutable)).toEqual(expected(values, offset, transposed));
    }
    // Scratch (not tensor storage) may hold new values under the same identity: packed anew.
    const scratch = first.slice();
    expect(multiply(scratch, 0, false, false)).toEqual(expected(scratch, 0, false));
    scratch.set(second);
    expect(multiply(scratch, 0, false, false)).toEqual(expected(second, 0, false));
  });

  it('keeps one block per backend instance: another instance packing its own weight leaves it intact', () => {
    const [m, n, k] = [8, 12, 20];
    const random = new RandomGenerator(12);
    const a = eighths(random, m * k);
    const mine = eighths(random, k * n);
    const theirs = eighths(random, k * n);
    const other = createGemmContext(null);
    const multiply = (target: typeof context, values: Float32Array) => {
      const c = new Float32Array(m * n);
      gemm(
        target,
        m,
        n,
        k,
        { values: a, offset: 0, rowStride: k, transposed: false },
        { values, offset: 0, rowStride: n, transposed: false, immutable: true },
        c,
        0,
        n,
        false,
      );
      return c;
    };
    expect(multiply(context, mine)).toEqual(definition(a, mine, m, n, k, false, false));
    expect(multiply(other, theirs)).toEqual(definition(a, theirs, m, n, k, false, false));
    expect(context.keptBlock?.values.deref()).toBe(mine);
    expect(multiply(context, mine)).toEqual(definition(a, mine, m, n, k, false, false));
  });
});

describe('gemm and non-finite values', () => {
  it('a dense product with a shared dimension of 1 gives NaN for 0 · NaN, as IEEE arithmetic does', () => {
    // Mostly nonzero A (not the sparse path, which skips zero terms), one zero among them.
    const [m, n] = [6, 8];
    const a = Float32Array.from({ length: m }, (_, i) => (i === 0 ? 0 : i));
    const b = Float32Array.from({ length: n }, (_, j) => (j % 2 === 0 ? NaN : 1));
    const c = new Float32Array(m * n);
    gemm(
      context,
      m,
      n,
      1,
      { values: a, offset: 0, rowStride: 1, transposed: false },
      { values: b, offset: 0, rowStride: n, transposed: false },
      c,
      0,
      n,
      false,
    );
    expect(Array.from(c.subarray(0, n))).toEqual([NaN, 0, NaN, 0, NaN, 0, NaN, 0]);
  });
});
