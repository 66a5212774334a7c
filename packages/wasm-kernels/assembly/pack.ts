import { TILE_COLUMNS, TILE_ROWS } from './tile-shape';

/**
 * Packing copies an operand into the order the GEMM kernel reads it, so every load in the inner
 * loop is contiguous whatever the operand's transposition.
 *
 * Stored matrices are row-major with `stride` floats between rows; op(X) is X or X^T.
 */

/**
 * op(A) [m × k] into panels of TILE_ROWS rows: element (i, p) goes to
 * panel (i / 4) at float index p * 4 + i % 4, a panel being k * 4 floats. Rows past m are zero,
 * so the kernel never meets a partial tile.
 */
export function packRows(source: usize, stride: i32, transposed: bool, m: i32, k: i32, target: usize): void {
  const panels = (m + TILE_ROWS - 1) / TILE_ROWS;
  for (let panel = 0; panel < panels; panel++) {
    const first = panel * TILE_ROWS;
    const panelStart = target + (<usize>panel * <usize>k * TILE_ROWS << 2);
    if (transposed && first + TILE_ROWS <= m) {
      // op(A)[i][p] = A[p][i]: the panel's four rows are four neighbours in stored row p.
      for (let p = 0; p < k; p++) {
        v128.store(panelStart + (<usize>p << 4), v128.load(source + ((<usize>p * stride + first) << 2)));
      }
      continue;
    }
    for (let r = 0; r < TILE_ROWS; r++) {
      const i = first + r;
      let out = panelStart + (<usize>r << 2);
      if (i >= m) {
        for (let p = 0; p < k; p++, out += TILE_ROWS << 2) store<f32>(out, 0);
      } else if (transposed) {
        for (let p = 0; p < k; p++, out += TILE_ROWS << 2) store<f32>(out, load<f32>(source + ((<usize>p * stride + i) << 2)));
      } else {
        const row = source + (<usize>i * stride << 2);
        for (let p = 0; p < k; p++, out += TILE_ROWS << 2) store<f32>(out, load<f32>(row + (<usize>p << 2)));
      }
    }
  }
}

/**
 * op(B) [k × n] into panels of TILE_COLUMNS columns: element (p, j) goes to panel (j / 8) at
 * float index p * 8 + j % 8, a panel being k * 8 floats. Columns past n are zero.
 */
export function packColumns(source: usize, stride: i32, transposed: bool, k: i32, n: i32, target: usize): void {
  const panels = (n + TILE_COLUMNS - 1) / TILE_COLUMNS;
  for (let panel = 0; panel < panels; panel++) {
    const first = panel * TILE_COLUMNS;
    const panelStart = target + (<usize>panel * <usize>k * TILE_COLUMNS << 2);
    if (!transposed && first + TILE_COLUMNS <= n) {
      // op(B)[p][j] = B[p][j]: eight neighbours of stored row p, two vectors.
      for (let p = 0; p < k; p++) {
        const from = source + ((<usize>p * stride + first) << 2);
        const to = panelStart + (<usize>p << 5);
        v128.store(to, v128.load(from));
        v128.store(to, v128.load(from, 16), 16);
      }
      continue;
    }
    for (let s = 0; s < TILE_COLUMNS; s++) {
      const j = first + s;
      let out = panelStart + (<usize>s << 2);
      if (j >= n) {
        for (let p = 0; p < k; p++, out += TILE_COLUMNS << 2) store<f32>(out, 0);
      } else if (transposed) {
        // op(B)[p][j] = B[j][p]: stored row j read contiguously.
        const row = source + (<usize>j * stride << 2);
        for (let p = 0; p < k; p++, out += TILE_COLUMNS << 2) store<f32>(out, load<f32>(row + (<usize>p << 2)));
      } else {
        for (let p = 0; p < k; p++, out += TILE_COLUMNS << 2) store<f32>(out, load<f32>(source + ((<usize>p * stride + j) << 2)));
      }
    }
  }
}
