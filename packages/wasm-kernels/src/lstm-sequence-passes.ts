import type { MatrixView } from '@recur/backend-ts';
import type { LstmSequenceBackwardPass, LstmSequenceForwardPass } from './lstm-sequence-pass.js';
import { copyRows } from './copy-rows.js';
import type { KernelExports } from './kernel-exports.js';
import type { KernelMemory } from './kernel-memory.js';
import type { PackedOperandCache } from './packed-operand-cache.js';

/**
 * The whole-sequence LSTM passes of `wasmLstmSequence` on recur-kernels.wasm. Each input crosses
 * into the module's scratch memory once, as one contiguous copy, and each result once back;
 * in between everything runs in the module: the input projection (a row gather when x is
 * one-hot, a packed GEMM otherwise), the time loop with the recurrent product and the cell
 * step of every step (assembly/lstm-sequence.ts), and backward the weight gradients from dz,
 * which never leaves the module. (Per step, the step's rows would cross three times, as
 * strided rows.)
 */

/** Sizes every pass derives from N, T, I, H and the kernel's register tile. */
function shapesOf(exports: KernelExports, pass: LstmSequenceForwardPass | LstmSequenceBackwardPass) {
  const { batch, steps, units } = pass;
  const tileRows = exports.TILE_ROWS.value as number;
  const tileColumns = exports.TILE_COLUMNS.value as number;
  const rows = batch * steps;
  const width = 4 * units;
  return {
    rows,
    width,
    /** Rows rounded up to whole tiles, as packed A operands and GEMM results have them. */
    tallRows: (count: number) => Math.ceil(count / tileRows) * tileRows,
    /** Columns rounded up to whole tiles: the row stride of GEMM results. */
    wideColumns: (count: number) => Math.ceil(count / tileColumns) * tileColumns,
    columnPanels: (count: number) => Math.ceil(count / tileColumns),
    gateBytes: 4 * rows * width,
    stateBytes: 4 * rows * units,
    carriedBytes: 4 * batch * units,
  };
}

/** A weight's storage as the untransposed or transposed B operand of a product. */
function weightOperand(values: Float32Array, columns: number, transposed: boolean): MatrixView {
  return { values, offset: 0, rowStride: columns, transposed, immutable: true };
}

/** Whether at most a quarter of the `count` floats at `pointer` are nonzero (one-hot inputs). */
function isSparse(exports: KernelExports, pointer: number, count: number): boolean {
  return 4 * exports.countNonzeros(pointer, count) <= count;
}

function copyIn(memory: KernelMemory, values: Float32Array, pointer: number): void {
  memory.floats.set(values, pointer >> 2);
}

/** A [rows × columns] result at `pointer`, `stride` floats per row, into a dense array. */
function copyOut(memory: KernelMemory, pointer: number, stride: number, into: Float32Array, columns: number): void {
  copyRows(memory.floats, pointer >> 2, stride, into, 0, columns, into.length / columns, columns);
}

export function lstmSequenceForwardInWasm(
  exports: KernelExports,
  memory: KernelMemory,
  packed: PackedOperandCache,
  pass: LstmSequenceForwardPass,
): void {
  const { batch, steps, inputSize, units, bias } = pass;
  const shape = shapesOf(exports, pass);
  const { rows, width } = shape;
  const zStride = shape.wideColumns(width);
  // z's rows: every (sample, step) row, and the padding samples' that a step's GEMM writes.
  const zRows = Math.max(shape.tallRows(rows), shape.tallRows(batch) * steps);
  const [
    kernelStored,
    kernelPacking,
    recurrentStored,
    recurrentPacking,
    x,
    biasIn,
    z,
    gates,
    cells,
    cellActivations,
    previousHidden,
    sequence,
    hidden,
    cell,
    packedInputs,
    packedHidden,
    accumulator,
  ] = memory.scratchBlocks([
    4 * inputSize * width,
    4 * inputSize * zStride,
    4 * units * width,
    4 * units * zStride,
    4 * rows * inputSize,
    4 * width,
    4 * zRows * zStride,
    shape.gateBytes,
    shape.stateBytes,
    shape.stateBytes,
    shape.stateBytes,
    shape.stateBytes,
    shape.carriedBytes,
    shape.carriedBytes,
    4 * shape.tallRows(rows) * inputSize,
    4 * shape.tallRows(batch) * units,
    8 * width,
  ]);
  copyIn(memory, pass.x, x);
  copyIn(memory, pass.hidden, hidden);
  copyIn(memory, pass.cell, cell);
  if (bias !== null) copyIn(memory, bias, biasIn);
  // One-hot x sums rows of the stored kernel: only the dense product needs it packed.
  const oneHot = isSparse(exports, x, rows * inputSize);
  const recurrentRequest = {
    b: weightOperand(pass.recurrentKernel, width, false),
    k: units,
    n: width,
    storedScratch: recurrentStored,
    packedScratch: recurrentPacking,
  };
  const kernelRequest = {
    b: weightOperand(pass.kernel, width, false),
    k: inputSize,
    n: width,
    storedScratch: kernelStored,
    packedScratch: kernelPacking,
  };
  const [recurrent, kernel] = packed.prepareTogether(oneHot ? [recurrentRequest] : [recurrentRequest, kernelRequest]);

  // z = x · kernel + bias: from the nonzeros (one-hot x) or one packed GEMM onto the bias rows.
  if (oneHot) {
    copyIn(memory, pass.kernel, kernelStored);
    exports.sparseRowsTimes(
      rows,
      width,
      inputSize,
      x,
      inputSize,
      kernelStored,
      width,
      bias === null ? 0 : biasIn,
      z,
      zStride,
      accumulator,
    );
  } else {
    if (bias !== null) exports.seedRows(rows, width, biasIn, z, zStride);
    exports.multiplyStored(
      rows,
      inputSize,
      x,
      inputSize,
      0,
      packedInputs,
      shape.columnPanels(width),
      kernel,
      z,
      zStride,
      bias === null ? 0 : 1,
    );
  }
  exports.lstmSequenceForward(
    batch,
    steps,
    units,
    z,
    gates,
    cells,
    cellActivations,
    previousHidden,
    sequence,
    hidden,
    cell,
    recurrent,
    packedHidden,
  );

  copyOut(memory, gates, width, pass.gates, width);
  for (const [pointer, into] of [
    [cells, pass.cells],
    [cellActivations, pass.cellActivations],
    [previousHidden, pass.previousHidden],
    [sequence, pass.sequence],
    [hidden, pass.hidden],
    [cell, pass.cell],
  ] as const) {
    copyOut(memory, pointer, units, into, units);
  }
}

export function lstmSequenceBackwardInWasm(
  exports: KernelExports,
  memory: KernelMemory,
  packed: PackedOperandCache,
  pass: LstmSequenceBackwardPass,
): void {
  const { batch, steps, inputSize, units, sequenceGrad, biasGrad, xGrad } = pass;
  const shape = shapesOf(exports, pass);
  const { rows, width } = shape;
  const gradientStride = shape.wideColumns(Math.max(width, inputSize));
  const operandRows = Math.max(shape.tallRows(units), shape.tallRows(inputSize));
  const [
    stored,
    recurrentPacking,
    kernelPacking,
    dh,
    dc,
    sequenceGradIn,
    gates,
    cellActivations,
    cells,
    previousHidden,
    initialCell,
    x,
    dz,
    packedStepGradient,
    product,
    packedGradient,
    packedOperand,
    gradient,
    sums,
  ] = memory.scratchBlocks([
    4 * Math.max(units, inputSize) * width,
    4 * width * shape.wideColumns(units),
    xGrad === null ? 0 : 4 * width * shape.wideColumns(inputSize),
    2 * shape.carriedBytes,
    2 * shape.carriedBytes,
    sequenceGrad === null ? 0 : shape.stateBytes,
    shape.gateBytes,
    shape.stateBytes,
    shape.stateBytes,
    shape.stateBytes,
    shape.carriedBytes,
    4 * rows * inputSize,
    shape.gateBytes,
    4 * shape.tallRows(batch) * width,
    4 * shape.tallRows(batch) * shape.wideColumns(units),
    4 * rows * shape.wideColumns(width),
    4 * Math.max(operandRows * rows, xGrad === null ? 0 : shape.tallRows(rows) * width),
    4 *
      Math.max(operandRows * gradientStride, xGrad === null ? 0 : shape.tallRows(rows) * shape.wideColumns(inputSize)),
    8 * Math.max(width, inputSize * width),
  ]);
  const recurrentRequest = {
    b: weightOperand(pass.recurrentKernel, width, true),
    k: width,
    n: units,
    storedScratch: stored,
    packedScratch: recurrentPacking,
  };
  const kernelRequest = {
    b: weightOperand(pass.kernel, width, true),
    k: width,
    n: inputSize,
    storedScratch: stored,
    packedScratch: kernelPacking,
  };
  const [recurrentTransposed, kernelTransposed] = packed.prepareTogether(
    xGrad === null ? [recurrentRequest] : [recurrentRequest, kernelRequest],
  );
  const doubles = memory.doubles;
  doubles.set(pass.dh, dh >> 3);
  doubles.set(pass.dc, dc >> 3);
  if (sequenceGrad !== null) copyIn(memory, sequenceGrad, sequenceGradIn);
  copyIn(memory, pass.gates, gates);
  copyIn(memory, pass.cellActivations, cellActivations);
  copyIn(memory, pass.cells, cells);
  copyIn(memory, pass.previousHidden, previousHidden);
  copyIn(memory, pass.initialCell, initialCell);
  copyIn(memory, pass.x, x);

  exports.lstmSequenceBackward(
    batch,
    steps,
    units,
    dh,
    dc,
    sequenceGradIn,
    sequenceGrad === null ? 0 : 1,
    gates,
    cellActivations,
    cells,
    initialCell,
    dz,
    recurrentTransposed,
    packedStepGradient,
    product,
  );
  pass.dh.set(memory.doubles.subarray(dh >> 3, (dh >> 3) + pass.dh.length));
  pass.dc.set(memory.doubles.subarray(dc >> 3, (dc >> 3) + pass.dc.length));

  // Weight gradients over all rows: dz packed once as the B of (h entering each step)ᵀ · dz and
  // of xᵀ · dz (unless x is one-hot: then dz's rows are scatter-added from x's nonzeros).
  exports.packColumns(dz, width, 0, rows, width, packedGradient);
  const widthPanels = shape.columnPanels(width);
  exports.multiplyStored(
    units,
    rows,
    previousHidden,
    units,
    1,
    packedOperand,
    widthPanels,
    packedGradient,
    gradient,
    gradientStride,
    0,
  );
  copyOut(memory, gradient, gradientStride, pass.recurrentKernelGrad, width);
  if (isSparse(exports, x, rows * inputSize)) {
    exports.sparseTransposedTimes(rows, width, inputSize, x, inputSize, dz, width, gradient, gradientStride, sums);
  } else {
    exports.multiplyStored(
      inputSize,
      rows,
      x,
      inputSize,
      1,
      packedOperand,
      widthPanels,
      packedGradient,
      gradient,
      gradientStride,
      0,
    );
  }
  copyOut(memory, gradient, gradientStride, pass.kernelGrad, width);
  if (biasGrad !== null) {
    exports.columnSums(rows, width, dz, width, sums, gradient);
    copyOut(memory, gradient, width, biasGrad, width);
  }
  if (xGrad !== null) {
    const xStride = shape.wideColumns(inputSize);
    exports.multiplyStored(
      rows,
      width,
      dz,
      width,
      0,
      packedOperand,
      shape.columnPanels(inputSize),
      kernelTransposed,
      gradient,
      xStride,
      0,
    );
    copyOut(memory, gradient, xStride, xGrad, inputSize);
  }
}
