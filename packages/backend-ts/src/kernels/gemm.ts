import type { MatrixKernels, MatrixView } from '../matrix-kernels.js';

/**
 * General matrix multiply on raw Float32Arrays: C = op(A) · op(B), or C += op(A) · op(B).
 * Shared by `matmul` and the fused sequence kernels, which address sub-matrices inside larger
 * buffers (every time step of a batch-major sequence), hence the offsets and row strides.
 *
 * Sums run in float64 (JS numbers) and are stored in float32 once per output element.
 *
 * Three paths, chosen per call (all exact; they differ only in the order of float64 additions):
 * - Blocked (the common case): op(A) and op(B) are copied ("packed") into float64 scratch in
 *   the order the inner loop reads them, 4 rows of A and 4 columns of B interleaved, and a 4×4
 *   tile of C is summed in 16 local variables. Each loaded value then feeds four
 *   multiply-adds, and packing makes both operands contiguous whatever their transposition or
 *   stride. The shared dimension is cut into blocks of KC and the rows into blocks of MC so a
 *   packed A block stays in L2 and a packed B panel in L1; between blocks of the shared
 *   dimension the partial sums wait in a float64 scratch of C, so C is rounded once. A small
 *   block of B that is tensor storage stays packed for the next call that multiplies by it
 *   (the recurrent kernel, at every time step).
 * - Sparse: when at most a quarter of op(A) is nonzero (one-hot inputs, the zero initial
 *   state), every row of C is built from only the rows of op(B) its nonzero A entries pick.
 * - Few rows (m < 4, e.g. the batch-1 step of a stream), few columns (a Dense(1) output) or a
 *   short shared dimension: packing or padding a tile would cost as much as the product, so
 *   rows of op(B) stream straight from the operand, or with a transposed B each entry is a
 *   dot product of two contiguous rows. A shared dimension of 1 (the input projection of a
 *   univariate series) adds its one term to C in a single pass.
 *
 * The scratch buffers live at module level and only grow: they carry nothing from one call to
 * the next (each call fills what it reads), JavaScript runs one call at a time per thread
 * (workers get their own module instance), and reusing them keeps the per-time-step GEMMs of the
 * sequence kernels free of allocation. What does carry over between calls, the kept packed block
 * and the plugged-in products, lives in a `GemmContext` that each `tsBackend()` instance creates
 * and hands to its kernels, so two backends never share a cache or a provider.
 *
 * Plugged-in kernels (`tsBackend({ matrixKernels })`, see matrix-kernels.ts) take over the dense
 * products. The sparse path stays here: it skips the zeros of one-hot inputs, which beats any
 * dense kernel.
 */

/** Tile of C held in registers: MR rows × NR columns (the kernel below is written for 4×4). */
const MR = 4;
const NR = 4;
/** Shared-dimension block: a packed B panel (KC × NR float64) is 16 KB, inside L1. */
const KC = 512;
/** Row block: a packed A block (MC × KC float64) is 512 KB, inside L2. */
const MC = 128;

/**
 * A block of op(B) that is kept packed between calls has at most this many values (512 KB in
 * float64): recurrent kernels up to 128 units times 4 gates at full depth, or larger ones in
 * shallower blocks. Larger operands are packed one NR-column panel at a time, as they are used.
 */
const KEPT_BLOCK_VALUES = 64 * 1024;

let packedA = new Float64Array(MC * KC);
const packedPanel = new Float64Array(KC * NR);
/** Which block of which tensor storage a context's `packedBlock` holds. */
interface KeptBlock {
  readonly values: WeakRef<Float32Array>;
  readonly offset: number;
  readonly rowStride: number;
  readonly transposed: boolean;
  readonly n: number;
  readonly p0: number;
  readonly kc: number;
}

/**
 * What one backend instance's GEMMs carry from call to call: the plugged-in products, and the
 * block of B kept packed. The fused sequence kernels multiply by the same recurrent kernel at
 * every time step; with the kept block the packing is done once per sequence instead of once per
 * step. The storage is held weakly: a weight the model dropped is not kept alive by the cache.
 */
export interface GemmContext {
  /** The products to use for dense operands instead of the TypeScript loops, or null. */
  readonly matrixKernels: MatrixKernels | null;
  /** Packed panels of `keptBlock`'s block of B. */
  packedBlock: Float64Array;
  /** Which block `packedBlock` holds, or null. */
  keptBlock: KeptBlock | null;
}

/** A fresh context for one backend instance. */
export function createGemmContext(matrixKernels: MatrixKernels | null): GemmContext {
  return { matrixKernels, packedBlock: new Float64Array(0), keptBlock: null };
}

let partialSums = new Float64Array(0);
let rowSums = new Float64Array(0);

/** Drops the context's kept packed block if it was made from `values`, whose contents are about to change. */
export function forgetKeptBlock(context: GemmContext, values: Float32Array): void {
  if (context.keptBlock?.values.deref() === values) context.keptBlock = null;
}

/** One row of op(A) or op(B): element p of row r sits at base + r * rowStep + p * columnStep. */
interface Strides {
  readonly rowStep: number;
  readonly columnStep: number;
}

function stridesOfOperand(view: MatrixView): Strides {
  return view.transposed ? { rowStep: 1, columnStep: view.rowStride } : { rowStep: view.rowStride, columnStep: 1 };
}

/**
 * C[m×n] (=|+=) op(A)[m×k] · op(B)[k×n]. `c` has contiguous columns and row stride
 * `cRowStride`. C must not overlap A or B.
 */
export function gemm(
  context: GemmContext,
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
): void {
  if (m === 0 || n === 0) return;
  const aStrides = stridesOfOperand(a);
  if (k === 0 || isSparse(m, k, a, aStrides)) {
    streamRows(m, n, k, a, aStrides, b, c, cOffset, cRowStride, accumulate, true);
  } else if (context.matrixKernels !== null) {
    context.matrixKernels.gemm(m, n, k, a, b, c, cOffset, cRowStride, accumulate);
  } else if (m < MR || n < NR || k < MR) {
    if (b.transposed) dotProducts(m, n, k, a, aStrides, b, c, cOffset, cRowStride, accumulate);
    else streamRows(m, n, k, a, aStrides, b, c, cOffset, cRowStride, accumulate, false);
  } else {
    blocked(context, m, n, k, a, aStrides, b, c, cOffset, cRowStride, accumulate);
  }
}

/** A view of a dense row-major [rows, columns] matrix starting at `offset`. */
export function denseView(values: Float32Array, columns: number, transposed = false, offset = 0): MatrixView {
  return { values, offset, rowStride: columns, transposed };
}

/** Like `denseView`, for a tensor's storage, which is never written again (see `MatrixView.immutable`). */
export function tensorView(values: Float32Array, columns: number, transposed = false, offset = 0): MatrixView {
  return { values, offset, rowStride: columns, transposed, immutable: true };
}

/**
 * Whether at most a quarter of op(A)'s entries are nonzero, judged from up to 16 rows spread
 * over A, so dense operands cost a few hundred reads rather than a pass over A. The choice only
 * affects speed: both paths compute the same sums.
 */
function isSparse(m: number, k: number, a: MatrixView, strides: Strides): boolean {
  const av = a.values;
  const { rowStep, columnStep } = strides;
  const sampled = Math.min(m, 16);
  const rowGap = m / sampled;
  let budget = (sampled * k) >> 2;
  for (let s = 0; s < sampled; s++) {
    const start = a.offset + Math.floor(s * rowGap) * rowStep;
    for (let p = 0; p < k; p++) {
      if (av[start + p * columnStep] !== 0 && --budget < 0) return false;
    }
  }
  return true;
}

function growRowSums(n: number): Float64Array {
  if (rowSums.length < n) rowSums = new Float64Array(n);
  return rowSums;
}

/**
 * Row i of C is accumulated in a float64 row from the rows of op(B) scaled by A[i][p]; with
 * `skipZeros` only the nonzero A entries contribute (exact: a zero adds nothing), otherwise
 * eight rows of B are combined per pass over the row to cut its loads and stores.
 */
function streamRows(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  aStrides: Strides,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
  skipZeros: boolean,
): void {
  const av = a.values;
  const bv = b.values;
  const { rowStep: aRow, columnStep: aCol } = aStrides;
  const { rowStep: bRow, columnStep: bCol } = stridesOfOperand(b);
  const row = growRowSums(n);
  for (let i = 0; i < m; i++) {
    const aStart = a.offset + i * aRow;
    const cStart = cOffset + i * cRowStride;
    if (skipZeros && addAtMostOneTerm(k, av, aStart, aCol, b, c, cStart, n, accumulate)) continue;
    if (k === 1 && !skipZeros) {
      // One term per entry (the input projection of a univariate series): C = (C or 0) + a·B[0]
      // in one pass, each entry rounded once as the float64 row would be. A zero a still
      // multiplies, so 0 · NaN stays NaN.
      const scale = av[aStart];
      const bStart = b.offset;
      if (accumulate) for (let j = 0; j < n; j++) c[cStart + j] += scale * bv[bStart + j * bCol];
      else for (let j = 0; j < n; j++) c[cStart + j] = 0 + scale * bv[bStart + j * bCol];
      continue;
    }
    if (accumulate) for (let j = 0; j < n; j++) row[j] = c[cStart + j];
    else row.fill(0, 0, n);
    let p = 0;
    if (!skipZeros && bCol === 1) {
      for (; p + 8 <= k; p += 8) {
        const a0 = av[aStart + p * aCol];
        const a1 = av[aStart + (p + 1) * aCol];
        const a2 = av[aStart + (p + 2) * aCol];
        const a3 = av[aStart + (p + 3) * aCol];
        const a4 = av[aStart + (p + 4) * aCol];
        const a5 = av[aStart + (p + 5) * aCol];
        const a6 = av[aStart + (p + 6) * aCol];
        const a7 = av[aStart + (p + 7) * aCol];
        const b0 = b.offset + p * bRow;
        const b1 = b0 + bRow;
        const b2 = b1 + bRow;
        const b3 = b2 + bRow;
        const b4 = b3 + bRow;
        const b5 = b4 + bRow;
        const b6 = b5 + bRow;
        const b7 = b6 + bRow;
        for (let j = 0; j < n; j++) {
          row[j] +=
            a0 * bv[b0 + j] +
            a1 * bv[b1 + j] +
            a2 * bv[b2 + j] +
            a3 * bv[b3 + j] +
            a4 * bv[b4 + j] +
            a5 * bv[b5 + j] +
            a6 * bv[b6 + j] +
            a7 * bv[b7 + j];
        }
      }
    }
    for (; p < k; p++) {
      const scale = av[aStart + p * aCol];
      if (scale === 0 && skipZeros) continue;
      const bStart = b.offset + p * bRow;
      if (bCol === 1) {
        for (let j = 0; j < n; j++) row[j] += scale * bv[bStart + j];
      } else {
        for (let j = 0; j < n; j++) row[j] += scale * bv[bStart + j * bCol];
      }
    }
    for (let j = 0; j < n; j++) c[cStart + j] = row[j];
  }
}

/**
 * Row `cStart` of C when A's row (from `aStart`, step `aCol`) has at most one nonzero, the
 * common case of one-hot inputs: C = (C or 0) + a·B[p], each entry summed in float64 and rounded
 * once, exactly what the float64 row of `streamRows` gives, in one pass instead of four.
 * Returns false, having written nothing, when the row has several nonzeros.
 */
function addAtMostOneTerm(
  k: number,
  av: Float32Array,
  aStart: number,
  aCol: number,
  b: MatrixView,
  c: Float32Array,
  cStart: number,
  n: number,
  accumulate: boolean,
): boolean {
  let term = -1;
  for (let p = 0, index = aStart; p < k; p++, index += aCol) {
    if (av[index] === 0) continue;
    if (term >= 0) return false;
    term = p;
  }
  if (term < 0) {
    if (!accumulate) c.fill(0, cStart, cStart + n);
    return true;
  }
  const scale = av[aStart + term * aCol];
  const bv = b.values;
  const { rowStep: bRow, columnStep: bCol } = stridesOfOperand(b);
  const bStart = b.offset + term * bRow;
  if (accumulate) for (let j = 0; j < n; j++) c[cStart + j] += scale * bv[bStart + j * bCol];
  // 0 + ...: a sum that starts from zero turns a product of -0 into +0, as the float64 row does.
  else for (let j = 0; j < n; j++) c[cStart + j] = 0 + scale * bv[bStart + j * bCol];
  return true;
}

/**
 * Small shapes with a transposed B: every C entry is a dot product of two contiguous rows (a row
 * of A when it is not transposed, a stored row of B); four columns share each load of A.
 */
function dotProducts(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  aStrides: Strides,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
): void {
  const av = a.values;
  const bv = b.values;
  const { rowStep: aRow, columnStep: aCol } = aStrides;
  const bRow = b.rowStride;
  for (let i = 0; i < m; i++) {
    const aStart = a.offset + i * aRow;
    const cStart = cOffset + i * cRowStride;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = b.offset + j * bRow;
      const b1 = b0 + bRow;
      const b2 = b1 + bRow;
      const b3 = b2 + bRow;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const x = av[aStart + p * aCol];
        s0 += x * bv[b0 + p];
        s1 += x * bv[b1 + p];
        s2 += x * bv[b2 + p];
        s3 += x * bv[b3 + p];
      }
      const o = cStart + j;
      if (accumulate) {
        c[o] += s0;
        c[o + 1] += s1;
        c[o + 2] += s2;
        c[o + 3] += s3;
      } else {
        c[o] = s0;
        c[o + 1] = s1;
        c[o + 2] = s2;
        c[o + 3] = s3;
      }
    }
    for (; j < n; j++) {
      const bStart = b.offset + j * bRow;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += av[aStart + p * aCol] * bv[bStart + p];
      c[cStart + j] = accumulate ? c[cStart + j] + sum : sum;
    }
  }
}

/**
 * packedA[block * MR * kc + p * MR + r] = op(A)[i0 + block * MR + r][p0 + p] for the rows
 * [i0, i0 + mc), zero past the last row so the kernel never needs an edge case.
 */
function packRows(a: MatrixView, strides: Strides, m: number, i0: number, mc: number, p0: number, kc: number): void {
  const av = a.values;
  const { rowStep, columnStep } = strides;
  const blocks = Math.ceil(mc / MR);
  if (packedA.length < blocks * MR * kc) packedA = new Float64Array(blocks * MR * kc);
  const out = packedA;
  for (let block = 0; block < blocks; block++) {
    const first = i0 + block * MR;
    for (let r = 0; r < MR; r++) {
      const i = first + r;
      let target = block * MR * kc + r;
      if (i >= m) {
        for (let p = 0; p < kc; p++, target += MR) out[target] = 0;
        continue;
      }
      let source = a.offset + i * rowStep + p0 * columnStep;
      for (let p = 0; p < kc; p++, target += MR, source += columnStep) out[target] = av[source];
    }
  }
}

/**
 * When rows [p0, p0 + kc) of op(B) are tensor storage small enough to keep, packs all their
 * columns as panels of NR into the context's `packedBlock` (panel j0 / NR from
 * (j0 / NR) * kc * NR), unless the same block of the same storage is there from an earlier call. Returns false, packing
 * nothing, for an operand to be packed panel by panel.
 */
function packKeptBlock(
  context: GemmContext,
  b: MatrixView,
  strides: Strides,
  n: number,
  p0: number,
  kc: number,
): boolean {
  const size = Math.ceil(n / NR) * kc * NR;
  if (b.immutable !== true || size > KEPT_BLOCK_VALUES) return false;
  const kept = context.keptBlock;
  if (
    kept !== null &&
    kept.values.deref() === b.values &&
    kept.offset === b.offset &&
    kept.rowStride === b.rowStride &&
    kept.transposed === b.transposed &&
    kept.n === n &&
    kept.p0 === p0 &&
    kept.kc === kc
  ) {
    return true;
  }
  if (context.packedBlock.length < size) context.packedBlock = new Float64Array(size);
  const packedBlock = context.packedBlock;
  for (let j0 = 0; j0 < n; j0 += NR) packPanel(packedBlock, (j0 / NR) * kc * NR, b, strides, n, j0, p0, kc);
  context.keptBlock = {
    values: new WeakRef(b.values),
    offset: b.offset,
    rowStride: b.rowStride,
    transposed: b.transposed,
    n,
    p0,
    kc,
  };
  return true;
}

/** out[start + p * NR + s] = op(B)[p0 + p][j0 + s] for p < kc, s < NR, zero past the last column. */
function packPanel(
  out: Float64Array,
  start: number,
  b: MatrixView,
  strides: Strides,
  n: number,
  j0: number,
  p0: number,
  kc: number,
): void {
  const bv = b.values;
  const { rowStep, columnStep } = strides;
  for (let s = 0; s < NR; s++) {
    const j = j0 + s;
    let target = start + s;
    if (j >= n) {
      for (let p = 0; p < kc; p++, target += NR) out[target] = 0;
      continue;
    }
    // op(B)[p][j] = stored B[p][j] (rowStep = rowStride) or stored B[j][p] (transposed).
    let source = b.offset + p0 * rowStep + j * columnStep;
    for (let p = 0; p < kc; p++, target += NR, source += rowStep) out[target] = bv[source];
  }
}

function blocked(
  context: GemmContext,
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  aStrides: Strides,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
): void {
  const bStrides = stridesOfOperand(b);
  const multipleBlocks = k > KC;
  if (multipleBlocks && partialSums.length < m * n) partialSums = new Float64Array(m * n);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    // How this block's sums combine with what came before: 0 first and only, 1 first of
    // several, 2 middle, 3 last of several.
    const phase = !multipleBlocks ? 0 : p0 === 0 ? 1 : p0 + kc >= k ? 3 : 2;
    const kept = packKeptBlock(context, b, bStrides, n, p0, kc);
    const packedBlock = context.packedBlock;
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = Math.min(MC, m - i0);
      packRows(a, aStrides, m, i0, mc, p0, kc);
      for (let j0 = 0; j0 < n; j0 += NR) {
        if (kept)
          tiles(packedBlock, (j0 / NR) * kc * NR, mc, kc, i0, j0, m, n, c, cOffset, cRowStride, accumulate, phase);
        else {
          packPanel(packedPanel, 0, b, bStrides, n, j0, p0, kc);
          tiles(packedPanel, 0, mc, kc, i0, j0, m, n, c, cOffset, cRowStride, accumulate, phase);
        }
      }
    }
  }
}

/**
 * Computes the 4×4 tiles of rows [i0, i0 + mc) × columns [j0, j0 + 4) from packed A and the
 * panel of packed B at `pb[start ...]`.
 */
function tiles(
  pb: Float64Array,
  start: number,
  mc: number,
  kc: number,
  i0: number,
  j0: number,
  m: number,
  n: number,
  c: Float32Array,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
  phase: number,
): void {
  const pa = packedA;
  const end = start + kc * NR;
  const fullColumns = j0 + NR <= n;
  for (let block = 0; block * MR < mc; block++) {
    let c00 = 0,
      c01 = 0,
      c02 = 0,
      c03 = 0;
    let c10 = 0,
      c11 = 0,
      c12 = 0,
      c13 = 0;
    let c20 = 0,
      c21 = 0,
      c22 = 0,
      c23 = 0;
    let c30 = 0,
      c31 = 0,
      c32 = 0,
      c33 = 0;
    let ao = block * MR * kc;
    for (let bo = start; bo < end; bo += NR, ao += MR) {
      const b0 = pb[bo];
      const b1 = pb[bo + 1];
      const b2 = pb[bo + 2];
      const b3 = pb[bo + 3];
      let x = pa[ao];
      c00 += x * b0;
      c01 += x * b1;
      c02 += x * b2;
      c03 += x * b3;
      x = pa[ao + 1];
      c10 += x * b0;
      c11 += x * b1;
      c12 += x * b2;
      c13 += x * b3;
      x = pa[ao + 2];
      c20 += x * b0;
      c21 += x * b1;
      c22 += x * b2;
      c23 += x * b3;
      x = pa[ao + 3];
      c30 += x * b0;
      c31 += x * b1;
      c32 += x * b2;
      c33 += x * b3;
    }
    const i = i0 + block * MR;
    if (phase === 0 && fullColumns && i + MR <= m) {
      // The common cases (one block of the shared dimension, a whole tile), stored directly.
      let o = cOffset + i * cRowStride + j0;
      if (accumulate) {
        c[o] += c00;
        c[o + 1] += c01;
        c[o + 2] += c02;
        c[o + 3] += c03;
        o += cRowStride;
        c[o] += c10;
        c[o + 1] += c11;
        c[o + 2] += c12;
        c[o + 3] += c13;
        o += cRowStride;
        c[o] += c20;
        c[o + 1] += c21;
        c[o + 2] += c22;
        c[o + 3] += c23;
        o += cRowStride;
        c[o] += c30;
        c[o + 1] += c31;
        c[o + 2] += c32;
        c[o + 3] += c33;
      } else {
        c[o] = c00;
        c[o + 1] = c01;
        c[o + 2] = c02;
        c[o + 3] = c03;
        o += cRowStride;
        c[o] = c10;
        c[o + 1] = c11;
        c[o + 2] = c12;
        c[o + 3] = c13;
        o += cRowStride;
        c[o] = c20;
        c[o + 1] = c21;
        c[o + 2] = c22;
        c[o + 3] = c23;
        o += cRowStride;
        c[o] = c30;
        c[o + 1] = c31;
        c[o + 2] = c32;
        c[o + 3] = c33;
      }
      continue;
    }
    const tile = tileSums;
    tile[0] = c00;
    tile[1] = c01;
    tile[2] = c02;
    tile[3] = c03;
    tile[4] = c10;
    tile[5] = c11;
    tile[6] = c12;
    tile[7] = c13;
    tile[8] = c20;
    tile[9] = c21;
    tile[10] = c22;
    tile[11] = c23;
    tile[12] = c30;
    tile[13] = c31;
    tile[14] = c32;
    tile[15] = c33;
    storeTile(i, j0, m, n, c, cOffset, cRowStride, accumulate, phase);
  }
}

const tileSums = new Float64Array(MR * NR);

/** Combines one tile's sums with C or the partial sums of earlier blocks, inside m × n. */
function storeTile(
  i: number,
  j0: number,
  m: number,
  n: number,
  c: Float32Array,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
  phase: number,
): void {
  const rows = Math.min(MR, m - i);
  const columns = Math.min(NR, n - j0);
  const partial = partialSums;
  for (let r = 0; r < rows; r++) {
    const cRow = cOffset + (i + r) * cRowStride + j0;
    const partialRow = (i + r) * n + j0;
    for (let s = 0; s < columns; s++) {
      const sum = tileSums[r * NR + s];
      if (phase === 0) c[cRow + s] = accumulate ? c[cRow + s] + sum : sum;
      else if (phase === 1) partial[partialRow + s] = accumulate ? c[cRow + s] + sum : sum;
      else if (phase === 2) partial[partialRow + s] += sum;
      else c[cRow + s] = partial[partialRow + s] + sum;
    }
  }
}
