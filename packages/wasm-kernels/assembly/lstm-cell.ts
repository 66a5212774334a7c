import { loadPair, roundToFloat32, sigmoidx2, storePair, tanhx2 } from './activations';

/**
 * The element-wise work of one LSTM time step (sigmoid gates, tanh activation) for a block of
 * rows, forward and backward, on contiguous buffers the JavaScript side copied in. Gate
 * blocks in each row of 4H: i, f, g (the cell candidate, Keras's "c"), o.
 *
 *   i = sigmoid(z_i)   f = sigmoid(z_f)   g = tanh(z_g)   o = sigmoid(z_o)
 *   c' = f * c + i * g        h' = o * tanh(c')
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
  const blockBytes = <usize>units << 2;
  const pairs = units >> 1;
  for (let n = 0; n < rows; n++) {
    const gateRow = gates + <usize>n * blockBytes * 4;
    const stateRow = <usize>n * blockBytes;
    for (let pair = 0; pair < pairs; pair++) {
      const at = <usize>pair << 3;
      forwardUnits(gateRow + at, blockBytes, cells + stateRow + at, cellActivations + stateRow + at, hidden + stateRow + at, false);
    }
    if (units & 1) {
      const at = <usize>(units - 1) << 2;
      forwardUnits(gateRow + at, blockBytes, cells + stateRow + at, cellActivations + stateRow + at, hidden + stateRow + at, true);
    }
  }
}

// @ts-ignore: decorator
@inline
function forwardUnits(gate: usize, blockBytes: usize, cell: usize, cellActivation: usize, hidden: usize, single: bool): void {
  const i = roundToFloat32(sigmoidx2(loadPair(gate, single)));
  const f = roundToFloat32(sigmoidx2(loadPair(gate + blockBytes, single)));
  const g = roundToFloat32(tanhx2(loadPair(gate + 2 * blockBytes, single)));
  const o = roundToFloat32(sigmoidx2(loadPair(gate + 3 * blockBytes, single)));
  storePair(gate, i, single);
  storePair(gate + blockBytes, f, single);
  storePair(gate + 2 * blockBytes, g, single);
  storePair(gate + 3 * blockBytes, o, single);
  const c = roundToFloat32(f64x2.add(f64x2.mul(f, loadPair(cell, single)), f64x2.mul(i, g)));
  storePair(cell, c, single);
  const a = roundToFloat32(tanhx2(c));
  storePair(cellActivation, a, single);
  storePair(hidden, f64x2.mul(o, a), single);
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
  const blockBytes = <usize>units << 2;
  const pairs = units >> 1;
  for (let n = 0; n < rows; n++) {
    const gateRow = <usize>n * blockBytes * 4;
    const floatRow = <usize>n * blockBytes;
    const doubleRow = floatRow << 1;
    for (let pair = 0; pair < pairs; pair++) {
      const at = <usize>pair << 3;
      backwardUnits(
        dh + doubleRow + (at << 1), dc + doubleRow + (at << 1), sequenceGrad + floatRow + at, hasSequenceGrad,
        gates + gateRow + at, blockBytes, cellActivations + floatRow + at, previousCells + floatRow + at, dz + gateRow + at, false,
      );
    }
    if (units & 1) {
      const at = <usize>(units - 1) << 2;
      backwardUnits(
        dh + doubleRow + (at << 1), dc + doubleRow + (at << 1), sequenceGrad + floatRow + at, hasSequenceGrad,
        gates + gateRow + at, blockBytes, cellActivations + floatRow + at, previousCells + floatRow + at, dz + gateRow + at, true,
      );
    }
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
