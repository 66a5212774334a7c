import type { LstmCellBackwardStep, LstmCellForwardStep, RowBlock } from '@recur/backend-ts';
import { copyRows } from './copy-rows.js';
import type { KernelExports } from './kernel-exports.js';
import type { KernelMemory } from './kernel-memory.js';

/**
 * backend-ts's optional LSTM cell steps on recur-kernels.wasm (assembly/lstm-cell.ts): the
 * step's rows are copied into the module's scratch memory as contiguous blocks, computed there
 * with f64x2 lanes, and the results copied back to the caller's rows. The copies are O(rows ×
 * 4H) like the computation, but plain memory moves, a small part of the 5 sigmoid and tanh
 * per unit they replace.
 */

function copyIn(memory: KernelMemory, block: RowBlock, rows: number, columns: number, target: number): void {
  copyRows(block.values, block.offset, block.rowStride, memory.floats, target >> 2, columns, rows, columns);
}

function copyOut(memory: KernelMemory, source: number, rows: number, columns: number, block: RowBlock): void {
  copyRows(memory.floats, source >> 2, columns, block.values, block.offset, block.rowStride, rows, columns);
}

export function lstmCellForwardInWasm(exports: KernelExports, memory: KernelMemory, step: LstmCellForwardStep): void {
  const { rows, units } = step;
  const gateBytes = 16 * rows * units;
  const stateBytes = 4 * rows * units;
  const sizes = [gateBytes, stateBytes, stateBytes, stateBytes];
  const [gates, cells, cellActivations, hidden] = memory.scratchBlocks(sizes);
  const floats = memory.floats;
  copyIn(memory, step.z, rows, 4 * units, gates);
  floats.set(step.cell, cells >> 2);
  exports.lstmCellForward(rows, units, gates, cells, cellActivations, hidden);
  copyOut(memory, gates, rows, 4 * units, step.gates);
  const count = rows * units;
  step.cell.set(floats.subarray(cells >> 2, (cells >> 2) + count));
  copyOut(memory, cells, rows, units, step.cells);
  copyOut(memory, cellActivations, rows, units, step.cellActivations);
  step.hidden.set(floats.subarray(hidden >> 2, (hidden >> 2) + count));
  copyOut(memory, hidden, rows, units, step.sequence);
}

export function lstmCellBackwardInWasm(exports: KernelExports, memory: KernelMemory, step: LstmCellBackwardStep): void {
  const { rows, units } = step;
  const gateBytes = 16 * rows * units;
  const stateBytes = 4 * rows * units;
  const sizes = [2 * stateBytes, 2 * stateBytes, stateBytes, gateBytes, stateBytes, stateBytes, gateBytes];
  const [dh, dc, sequenceGrad, gates, cellActivations, previousCells, dz] = memory.scratchBlocks(sizes);
  const doubles = memory.doubles;
  doubles.set(step.dh, dh >> 3);
  doubles.set(step.dc, dc >> 3);
  if (step.sequenceGrad !== null) copyIn(memory, step.sequenceGrad, rows, units, sequenceGrad);
  copyIn(memory, step.gates, rows, 4 * units, gates);
  copyIn(memory, step.cellActivations, rows, units, cellActivations);
  copyIn(memory, step.previousCells, rows, units, previousCells);
  exports.lstmCellBackward(rows, units, dh, dc, sequenceGrad, step.sequenceGrad === null ? 0 : 1, gates, cellActivations, previousCells, dz);
  const count = rows * units;
  step.dh.set(doubles.subarray(dh >> 3, (dh >> 3) + count));
  step.dc.set(doubles.subarray(dc >> 3, (dc >> 3) + count));
  copyOut(memory, dz, rows, 4 * units, step.dz);
}
