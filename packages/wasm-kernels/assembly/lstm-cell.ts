import { loadPair, roundToFloat32, sigmoidx2, storePair, tanhx2 } from './activations';

/**
 * The element-wise work of one LSTM time step (sigmoid gates, tanh activation) for a block of
 * rows, forward and backward, on contiguous buffers the JavaScript side copied in: the cell of
 * core's `LSTMCell` (packages/core/src/layers/recurrent/lstm-cell.ts states the equations and
 * the symbols i, f, g, o used here) with σ = sigmoid and act = tanh. Gate blocks in each row of
 * 4H: i, f, g, o.
 *
 * Two units per f64x2 step (the last one alone when H is odd). Every value is rounded to
 * float32 where backend-ts's TypeScript loops store it in a Float32Array, and every other
 * operation is the same float64 operation in the same order, so the results equal the
 * TypeScript kernel's exactly, apart from sigmoid and tanh themselves (within 1 ulp of
 * float32, see activations.ts).
 */

/**
 * Forward: `gates` [rows × 4H] holds z on entry and i, f, g, o on return; `cells` [rows × H]
 * holds c on entry and c' on return; tanh(c') goes to `cellActivations` and h' to `hidden`.
 */
export function lstmCellForward(rows: i32, units: i32, gates: usize, cells: usize, cellActivations: usize, hidden: usize): void {
  const gateRowBytes = <usize>units << 4;
  const stateRowBytes = <usize>units << 2;
  for (let n = 0; n < rows; n++) {
    const gateRow = gates + <usize>n * gateRowBytes;
    const stateRow = <usize>n * stateRowBytes;
    forwardRow(units, gateRow, gateRow, cells + stateRow, cellActivations + stateRow, hidden + stateRow);
  }
}

/**
 * One row of the forward step: z (4H floats at `z`) gives i, f, g, o at `gates` (which may be
 * `z` itself); c at `cell` becomes c'; tanh(c') goes to `cellActivation`, h' to `hidden`.
 *
 * In two passes over the row, the gates and c' first, then tanh(c') and h' from the stored
 * c' and o: tanh(c') waits for three of the gates, and inside one pass over the units that
 * chain would leave the processor idle; split, the iterations of each pass are independent
 * and overlap.
 */
// @ts-ignore: decorator
@inline
export function forwardRow(units: i32, z: usize, gates: usize, cell: usize, cellActivation: usize, hidden: usize): void {
  const blockBytes = <usize>units << 2;
  const pairs = units >> 1;
  const odd = <usize>(units - 1) << 2;
  for (let pair = 0; pair < pairs; pair++) {
    const at = <usize>pair << 3;
    gatesAndCell(z + at, gates + at, blockBytes, cell + at, false);
  }
  if (units & 1) gatesAndCell(z + odd, gates + odd, blockBytes, cell + odd, true);
  const outputGates = gates + 3 * blockBytes;
  for (let pair = 0; pair < pairs; pair++) {
    const at = <usize>pair << 3;
    hiddenOutput(outputGates + at, cell + at, cellActivation + at, hidden + at, false);
  }
  if (units & 1) hiddenOutput(outputGates + odd, cell + odd, cellActivation + odd, hidden + odd, true);
}

/** i, f, g, o from z into `gate` (gate blocks `blockBytes` apart), and c' = f * c + i * g into `cell`. */
// @ts-ignore: decorator
@inline
function gatesAndCell(z: usize, gate: usize, blockBytes: usize, cell: usize, single: bool): void {
  const i = roundToFloat32(sigmoidx2(loadPair(z, single)));
  const f = roundToFloat32(sigmoidx2(loadPair(z + blockBytes, single)));
  const g = roundToFloat32(tanhx2(loadPair(z + 2 * blockBytes, single)));
  const o = roundToFloat32(sigmoidx2(loadPair(z + 3 * blockBytes, single)));
  storePair(gate, i, single);
  storePair(gate + blockBytes, f, single);
  storePair(gate + 2 * blockBytes, g, single);
  storePair(gate + 3 * blockBytes, o, single);
  storePair(cell, f64x2.add(f64x2.mul(f, loadPair(cell, single)), f64x2.mul(i, g)), single);
}

/** tanh(c') into `cellActivation` and h' = o * tanh(c') into `hidden`, from the stored o and c'. */
// @ts-ignore: decorator
@inline
function hiddenOutput(outputGate: usize, cell: usize, cellActivation: usize, hidden: usize, single: bool): void {
  const a = roundToFloat32(tanhx2(loadPair(cell, single)));
  storePair(cellActivation, a, single);
  storePair(hidden, f64x2.mul(loadPair(outputGate, single), a), single);
}

/**
 * Backward, from the gradients flowing into h' and c' (`dh`, `dc`: float64 [rows × H]; plus
 * `sequenceGrad` [rows × H] when `hasSequenceGrad`) and the step's saved gates, tanh(c') and
 * the cell entering the step (`previousCells`): dz [rows × 4H] into `dz`, dc replaced by the
 * gradient into the previous cell, dh set to 0 (h reaches the previous step only through z,
 * whose share the caller adds).
 */
export function lstmCellBackward(
  rows: i32,
  units: i32,
  dh: usize,
  dc: usize,
  sequenceGrad: usize,
  hasSequenceGrad: bool,
  gates: usize,
  cellActivations: usize,
  previousCells: usize,
  dz: usize,
): void {
  const gateRowBytes = <usize>units << 4;
  const floatRowBytes = <usize>units << 2;
  for (let n = 0; n < rows; n++) {
    const gateRow = <usize>n * gateRowBytes;
    const floatRow = <usize>n * floatRowBytes;
    const doubleRow = floatRow << 1;
    backwardRow(
      units, dh + doubleRow, dc + doubleRow, sequenceGrad + floatRow, hasSequenceGrad,
      gates + gateRow, cellActivations + floatRow, previousCells + floatRow, dz + gateRow,
    );
  }
}

/**
 * One row of the backward step: float64 `dh`, `dc` (H each), float32 `sequenceGrad` (read when
 * `hasSequenceGrad`), `cellActivation`, `previousCell` (H each), `gates` and `dz` (4H each).
 */
// @ts-ignore: decorator
@inline
export function backwardRow(
  units: i32,
  dh: usize,
  dc: usize,
  sequenceGrad: usize,
  hasSequenceGrad: bool,
  gates: usize,
  cellActivation: usize,
  previousCell: usize,
  dz: usize,
): void {
  const blockBytes = <usize>units << 2;
  const pairs = units >> 1;
  for (let pair = 0; pair < pairs; pair++) {
    const at = <usize>pair << 3;
    backwardUnits(
      dh + (at << 1), dc + (at << 1), sequenceGrad + at, hasSequenceGrad,
      gates + at, blockBytes, cellActivation + at, previousCell + at, dz + at, false,
    );
  }
  if (units & 1) {
    const at = <usize>(units - 1) << 2;
    backwardUnits(
      dh + (at << 1), dc + (at << 1), sequenceGrad + at, hasSequenceGrad,
      gates + at, blockBytes, cellActivation + at, previousCell + at, dz + at, true,
    );
  }
}

// @ts-ignore: decorator
@inline
function loadDoubles(pointer: usize, single: bool): v128 {
  return single ? v128.load64_zero(pointer) : v128.load(pointer);
}

// @ts-ignore: decorator
@inline
function storeDoubles(pointer: usize, value: v128, single: bool): void {
  if (single) v128.store64_lane(pointer, value, 0);
  else v128.store(pointer, value);
}

// @ts-ignore: decorator
@inline
function backwardUnits(
  dh: usize,
  dc: usize,
  sequenceGrad: usize,
  hasSequenceGrad: bool,
  gate: usize,
  blockBytes: usize,
  cellActivation: usize,
  previousCell: usize,
  dz: usize,
  single: bool,
): void {
  const one = f64x2.splat(1);
  let dhTotal = loadDoubles(dh, single);
  if (hasSequenceGrad) dhTotal = f64x2.add(dhTotal, loadPair(sequenceGrad, single));
  storeDoubles(dh, f64x2.splat(0), single);
  const i = loadPair(gate, single);
  const f = loadPair(gate + blockBytes, single);
  const g = loadPair(gate + 2 * blockBytes, single);
  const o = loadPair(gate + 3 * blockBytes, single);
  const a = loadPair(cellActivation, single);
  // d tanh(c') = dh * o, times tanh' = 1 - tanh(c')^2
  const dActivation = f64x2.mul(f64x2.mul(dhTotal, o), f64x2.sub(one, f64x2.mul(a, a)));
  const dcTotal = f64x2.add(loadDoubles(dc, single), dActivation);
  storeDoubles(dc, f64x2.mul(dcTotal, f), single); // into the previous cell: dc * f
  // Gate gradients (d i = dc * g, d f = dc * c, d g = dc * i, d o = dh * tanh(c')) times the
  // activations' derivatives, sigmoid' = y (1 - y), tanh' = 1 - y^2, from the outputs y.
  const di = f64x2.mul(f64x2.mul(dcTotal, g), f64x2.mul(i, f64x2.sub(one, i)));
  const df = f64x2.mul(f64x2.mul(dcTotal, loadPair(previousCell, single)), f64x2.mul(f, f64x2.sub(one, f)));
  const dg = f64x2.mul(f64x2.mul(dcTotal, i), f64x2.sub(one, f64x2.mul(g, g)));
  const dO = f64x2.mul(f64x2.mul(dhTotal, a), f64x2.mul(o, f64x2.sub(one, o)));
  storePair(dz, di, single);
  storePair(dz + blockBytes, df, single);
  storePair(dz + 2 * blockBytes, dg, single);
  storePair(dz + 3 * blockBytes, dO, single);
}
