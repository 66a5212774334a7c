import { backwardRow, forwardRow } from './lstm-cell';
import { multiplyStored } from './multiply';
import { TILE_COLUMNS, TILE_ROWS } from './tile-shape';

/**
 * A whole unmasked sequence of the standard LSTM cell, forward or backward, with every buffer
 * in this module's memory: per time step the recurrent product (h · recurrentKernel forward,
 * dz · recurrentKernelᵀ backward) and the cell's element-wise step, without returning to
 * JavaScript. Buffers are batch-major as in backend-ts: row n * steps + t of a [rows, steps, W]
 * buffer is sample n at step t, so the rows of one step sit steps * W floats apart.
 *
 * The GEMM writes whole tiles (4 rows by 8 columns): forward it adds into z in place, whose
 * rows are padded for it; backward it writes a padded `product` buffer. The time loop computes
 * what the per-step path does (the same GEMM, accumulating onto the same z, and the same cell
 * rows). Around it, the input projection may differ from backend-ts's in the last bits: the
 * caller picks the one-hot route by counting every nonzero of x, where backend-ts judges from
 * sampled rows, so the two can sum the same terms by different routes.
 */

/** Floats per row of the padded product of `width` columns. */
// @ts-ignore: decorator
@inline
function paddedWidth(width: i32): i32 {
  return (width + TILE_COLUMNS - 1) / TILE_COLUMNS * TILE_COLUMNS;
}

/**
 * Forward. In: `z` [rows, steps, 4H] holding x · kernel + bias, its rows 4H rounded up to whole
 * tile columns apart and room for `rows` rounded up to whole tile rows (the GEMM of a step
 * writes whole tiles; the rows of the padding samples are zeroed here and hold scratch),
 * `hidden` and `cell` [rows × H] holding the initial state, `recurrent` the packed recurrent
 * kernel [H × 4H]. Out: `z` with h · recurrentKernel added, the gates i, f, g, o, the cells c',
 * tanh(c'), the h entering each step and h' (`sequence`), and the final state in `hidden` and
 * `cell`. `packedHidden` is scratch.
 */
export function lstmSequenceForward(
  rows: i32,
  steps: i32,
  units: i32,
  z: usize,
  gates: usize,
  cells: usize,
  cellActivations: usize,
  previousHidden: usize,
  sequence: usize,
  hidden: usize,
  cell: usize,
  recurrent: usize,
  packedHidden: usize,
): void {
  const width = 4 * units;
  const zStride = paddedWidth(width);
  const zRowBytes = <usize>zStride << 2;
  const gateBytes = <usize>width << 2;
  const stateBytes = <usize>units << 2;
  const paddedRows = (rows + TILE_ROWS - 1) / TILE_ROWS * TILE_ROWS;
  const sampleRows = <usize>(rows * steps);
  memory.fill(z + sampleRows * zRowBytes, 0, <usize>((paddedRows - rows) * steps) * zRowBytes);
  for (let t = 0; t < steps; t++) {
    for (let n = 0; n < rows; n++) {
      memory.copy(previousHidden + <usize>(n * steps + t) * stateBytes, hidden + <usize>n * stateBytes, stateBytes);
    }
    // z rows of step t (steps * zStride floats apart) += h · recurrentKernel, in place.
    const stepZ = z + <usize>t * zRowBytes;
    multiplyStored(rows, units, hidden, units, false, packedHidden, zStride / TILE_COLUMNS, recurrent, stepZ, steps * zStride, true);
    for (let n = 0; n < rows; n++) {
      const row = <usize>(n * steps + t);
      const state = <usize>n * stateBytes;
      forwardRow(units, z + row * zRowBytes, gates + row * gateBytes, cell + state, cellActivations + row * stateBytes, hidden + state);
      memory.copy(cells + row * stateBytes, cell + state, stateBytes);
      memory.copy(sequence + row * stateBytes, hidden + state, stateBytes);
    }
  }
}

/**
 * Backward, from the last step to the first. In: float64 `dh`, `dc` [rows × H] holding the
 * gradients of the final state, `sequenceGrad` [rows, steps, H] (read when `hasSequenceGrad`),
 * the forward pass's gates, tanh(c') and cells, the initial cell, and `recurrentTransposed`
 * the packed recurrent kernelᵀ [4H × H]. Out: dz [rows, steps, 4H] and, in `dh` and `dc`, the
 * gradients of the initial state. `packedGradient` and `product` are scratch.
 */
export function lstmSequenceBackward(
  rows: i32,
  steps: i32,
  units: i32,
  dh: usize,
  dc: usize,
  sequenceGrad: usize,
  hasSequenceGrad: bool,
  gates: usize,
  cellActivations: usize,
  cells: usize,
  initialCell: usize,
  dz: usize,
  recurrentTransposed: usize,
  packedGradient: usize,
  product: usize,
): void {
  const width = 4 * units;
  const productStride = paddedWidth(units);
  const gateBytes = <usize>width << 2;
  const stateBytes = <usize>units << 2;
  for (let t = steps - 1; t >= 0; t--) {
    for (let n = 0; n < rows; n++) {
      const row = <usize>(n * steps + t);
      const previousCell = t === 0 ? initialCell + <usize>n * stateBytes : cells + (row - 1) * stateBytes;
      backwardRow(
        units, dh + (<usize>n * stateBytes << 1), dc + (<usize>n * stateBytes << 1), sequenceGrad + row * stateBytes, hasSequenceGrad,
        gates + row * gateBytes, cellActivations + row * stateBytes, previousCell, dz + row * gateBytes,
      );
    }
    // Into the previous h: dz_t · recurrentKernelᵀ, rounded to float32 as a product, added in float64.
    multiplyStored(rows, width, dz + <usize>t * gateBytes, steps * width, false, packedGradient, productStride / TILE_COLUMNS, recurrentTransposed, product, productStride, false);
    addToDoubles(rows, units, product, productStride, dh);
  }
}

/** doubles[n * columns + j] += floats[n * floatStride + j] for a [rows × columns] block. */
function addToDoubles(rows: i32, columns: i32, floats: usize, floatStride: i32, doubles: usize): void {
  for (let n = 0; n < rows; n++) {
    const from = floats + (<usize>(n * floatStride) << 2);
    const to = doubles + (<usize>(n * columns) << 3);
    let j = 0;
    for (; j + 2 <= columns; j += 2) {
      const at = to + (<usize>j << 3);
      v128.store(at, f64x2.add(v128.load(at), f64x2.promote_low_f32x4(v128.load64_zero(from + (<usize>j << 2)))));
    }
    if (j < columns) {
      const at = to + (<usize>j << 3);
      store<f64>(at, load<f64>(at) + <f64>load<f32>(from + (<usize>j << 2)));
    }
  }
}
