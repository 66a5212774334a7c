import { BLOCK_DEPTH, TILE_COLUMNS, TILE_ROWS } from './tile-shape';
import { packRows } from './pack';

/**
 * C (=|+=) op(A) · op(B) in float32 SIMD lanes, on operands packed by pack.ts. C is row-major
 * with `cStride` floats per row and padded to whole tiles, so no loop has an edge case.
 *
 * Sums run in float32 (four lanes of f32x4, one multiply and one add per step: WebAssembly
 * SIMD has no fused multiply-add outside the relaxed-SIMD proposal). Each C entry is one
 * running sum over the shared dimension, in order, stored once per block of BLOCK_DEPTH.
 */

/**
 * Every tile of a [rowPanels * 4 × columnPanels * 8] C from packed A (rowPanels panels of
 * k × 4) and packed B (columnPanels panels of k × 8). The shared dimension is cut into blocks
 * so a B panel slice stays in L1 while the A panels of the block stream from L2.
 */
export function multiplyPacked(
  rowPanels: i32,
  columnPanels: i32,
  k: i32,
  a: usize,
  b: usize,
  c: usize,
  cStride: i32,
  accumulate: bool,
): void {
  const rowBytes = <usize>cStride << 2;
  for (let p0 = 0; p0 < k; p0 += BLOCK_DEPTH) {
    const depth = min(BLOCK_DEPTH, k - p0);
    const add = accumulate || p0 > 0;
    for (let jp = 0; jp < columnPanels; jp++) {
      const bBlock = b + ((<usize>jp * k + p0) * TILE_COLUMNS << 2);
      for (let ip = 0; ip < rowPanels; ip++) {
        const aBlock = a + ((<usize>ip * k + p0) * TILE_ROWS << 2);
        const cTile = c + <usize>ip * TILE_ROWS * rowBytes + (<usize>jp * TILE_COLUMNS << 2);
        tile(depth, aBlock, bBlock, cTile, rowBytes, add);
      }
    }
  }
}

/** One 4 × 8 tile of C: eight f32x4 sums in registers over `depth` steps. */
// @ts-ignore: decorator
@inline
function tile(depth: i32, a: usize, b: usize, c: usize, rowBytes: usize, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const c1 = c + rowBytes;
  const c2 = c1 + rowBytes;
  const c3 = c2 + rowBytes;
  if (add) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c1); c11 = v128.load(c1, 16);
    c20 = v128.load(c2); c21 = v128.load(c2, 16);
    c30 = v128.load(c3); c31 = v128.load(c3, 16);
  }
  const end = a + (<usize>depth << 4);
  while (a < end) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(x, b0)); c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(x, b0)); c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a += 16;
    b += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c1, c10); v128.store(c1, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16);
  v128.store(c3, c30); v128.store(c3, c31, 16);
}

/**
 * Fewer rows than a tile (the batch-1 step of a stream is a vector times a matrix): each of the
 * m rows of op(A), read in place with the given strides (in floats), times packed B, four B
 * panels at a time so eight independent sums hide the add latency. B streams once per row.
 */
export function multiplyRows(
  m: i32,
  columnPanels: i32,
  k: i32,
  a: usize,
  aRowStep: i32,
  aColumnStep: i32,
  b: usize,
  c: usize,
  cStride: i32,
  accumulate: bool,
): void {
  const panelBytes = <usize>k * TILE_COLUMNS << 2;
  const step = <usize>aColumnStep << 2;
  for (let i = 0; i < m; i++) {
    const aRow = a + (<usize>i * aRowStep << 2);
    const cRow = c + (<usize>i * cStride << 2);
    let jp = 0;
    for (; jp + 4 <= columnPanels; jp += 4) {
      fourPanels(k, aRow, step, b + <usize>jp * panelBytes, panelBytes, cRow + (<usize>jp * TILE_COLUMNS << 2), accumulate);
    }
    for (; jp < columnPanels; jp++) {
      onePanel(k, aRow, step, b + <usize>jp * panelBytes, cRow + (<usize>jp * TILE_COLUMNS << 2), accumulate);
    }
  }
}

// @ts-ignore: decorator
@inline
function fourPanels(k: i32, a: usize, step: usize, b: usize, panelBytes: usize, c: usize, add: bool): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  let s4 = f32x4.splat(0), s5 = f32x4.splat(0), s6 = f32x4.splat(0), s7 = f32x4.splat(0);
  if (add) {
    s0 = v128.load(c); s1 = v128.load(c, 16); s2 = v128.load(c, 32); s3 = v128.load(c, 48);
    s4 = v128.load(c, 64); s5 = v128.load(c, 80); s6 = v128.load(c, 96); s7 = v128.load(c, 112);
  }
  let b0 = b;
  const b1 = panelBytes;
  const b2 = panelBytes * 2;
  const b3 = panelBytes * 3;
  for (let p = 0; p < k; p++, a += step, b0 += 32) {
    const x = v128.load32_splat(a);
    s0 = f32x4.add(s0, f32x4.mul(x, v128.load(b0)));
    s1 = f32x4.add(s1, f32x4.mul(x, v128.load(b0, 16)));
    s2 = f32x4.add(s2, f32x4.mul(x, v128.load(b0 + b1)));
    s3 = f32x4.add(s3, f32x4.mul(x, v128.load(b0 + b1, 16)));
    s4 = f32x4.add(s4, f32x4.mul(x, v128.load(b0 + b2)));
    s5 = f32x4.add(s5, f32x4.mul(x, v128.load(b0 + b2, 16)));
    s6 = f32x4.add(s6, f32x4.mul(x, v128.load(b0 + b3)));
    s7 = f32x4.add(s7, f32x4.mul(x, v128.load(b0 + b3, 16)));
  }
  v128.store(c, s0); v128.store(c, s1, 16); v128.store(c, s2, 32); v128.store(c, s3, 48);
  v128.store(c, s4, 64); v128.store(c, s5, 80); v128.store(c, s6, 96); v128.store(c, s7, 112);
}

// @ts-ignore: decorator
@inline
function onePanel(k: i32, a: usize, step: usize, b: usize, c: usize, add: bool): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  if (add) {
    s0 = v128.load(c);
    s1 = v128.load(c, 16);
  }
  for (let p = 0; p < k; p++, a += step, b += 32) {
    const x = v128.load32_splat(a);
    s0 = f32x4.add(s0, f32x4.mul(x, v128.load(b)));
    s1 = f32x4.add(s1, f32x4.mul(x, v128.load(b, 16)));
  }
  v128.store(c, s0);
  v128.store(c, s1, 16);
}

/**
 * C (=|+=) op(A) · packed B, op(A) [m × k] read from its stored row-major form at `a` (`aStride`
 * floats between stored rows, used transposed when `transposed`): packed into `packedA` (room
 * for m rounded up to a tile's rows, times k) when it fills tiles, read in place below a
 * tile's rows. The choice backend-ts's per-call products make in JavaScript, for the kernels
 * that keep a whole sequence in this module.
 */
export function multiplyStored(
  m: i32,
  k: i32,
  a: usize,
  aStride: i32,
  transposed: bool,
  packedA: usize,
  columnPanels: i32,
  b: usize,
  c: usize,
  cStride: i32,
  accumulate: bool,
): void {
  if (m < TILE_ROWS) {
    // op(A)[i][p] sits at i * stride + p in the stored A, at p * stride + i in a stored Aᵀ.
    multiplyRows(m, columnPanels, k, a, transposed ? 1 : aStride, transposed ? aStride : 1, b, c, cStride, accumulate);
    return;
  }
  packRows(a, aStride, transposed, m, k, packedA);
  multiplyPacked((m + TILE_ROWS - 1) / TILE_ROWS, columnPanels, k, packedA, b, c, cStride, accumulate);
}
