import { describe, expect, it } from 'vitest';
import { RandomGenerator } from '@recur/core';
import type { RowBlock } from '@recur/backend-ts';
import { loadWasmKernels } from '../src/index.js';

/**
 * The LSTM cell steps of the WebAssembly kernels against the cell's equations, written out
 * here in float64 with Math.exp and Math.tanh. The rows sit inside larger batch-major buffers
 * (offset, rows T * width apart), as backend-ts passes the rows of one time step, and entries
 * outside them must survive. H = 5 exercises the odd unit handled alone.
 */

const kernels = await loadWasmKernels();
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function uniforms(random: RandomGenerator, count: number, scale: number): Float32Array {
  return Float32Array.from({ length: count }, () => scale * (2 * random.uniform() - 1));
}

/** The rows of step `step` in a batch-major [rows, steps, width] buffer. */
function stepBlock(values: Float32Array, width: number, steps: number, step: number): RowBlock {
  return { values, offset: step * width, rowStride: steps * width };
}

function at(block: RowBlock, row: number, column: number): number {
  return block.values[block.offset + row * block.rowStride + column];
}

/** Values outside the step's rows, which must come back untouched. */
function outside(block: RowBlock, rows: number, width: number): number[] {
  const inside = new Set<number>();
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) inside.add(block.offset + r * block.rowStride + j);
  return Array.from(block.values).filter((_, index) => !inside.has(index));
}

describe.each([[3, 5], [4, 8]])('WebAssembly LSTM cell step, %i rows of %i units', (rows, units) => {
  const steps = 3;
  const step = 1;
  const G = 4 * units;

  it('forward: gates, c\' and h\' as the equations give them, within float32 rounding', () => {
    const random = new RandomGenerator(rows * 100 + units);
    const z = stepBlock(uniforms(random, rows * steps * G, 4), G, steps, step);
    const gates = stepBlock(uniforms(random, rows * steps * G, 1), G, steps, step);
    const cellsBlock = stepBlock(uniforms(random, rows * steps * units, 1), units, steps, step);
    const activationsBlock = stepBlock(uniforms(random, rows * steps * units, 1), units, steps, step);
    const sequenceBlock = stepBlock(uniforms(random, rows * steps * units, 1), units, steps, step);
    const cell = uniforms(random, rows * units, 2);
    const cellBefore = cell.slice();
    const hidden = new Float32Array(rows * units);
    const untouched = [gates, cellsBlock, activationsBlock, sequenceBlock].map((block) => outside(block, rows, block === gates ? G : units));

    kernels.lstmCellForward!({ rows, units, z, gates, cell, cells: cellsBlock, cellActivations: activationsBlock, hidden, sequence: sequenceBlock });

    for (let n = 0; n < rows; n++) {
      for (let j = 0; j < units; j++) {
        const i = sigmoid(at(z, n, j));
        const f = sigmoid(at(z, n, units + j));
        const g = Math.tanh(at(z, n, 2 * units + j));
        const o = sigmoid(at(z, n, 3 * units + j));
        const c = f * cellBefore[n * units + j] + i * g;
        const h = o * Math.tanh(c);
        for (const [k, expected] of [i, f, g, o].entries()) expect(at(gates, n, k * units + j)).toBeCloseTo(expected, 6);
        expect(cell[n * units + j]).toBeCloseTo(c, 6);
        expect(at(cellsBlock, n, j)).toBe(cell[n * units + j]);
        expect(at(activationsBlock, n, j)).toBeCloseTo(Math.tanh(c), 6);
        expect(hidden[n * units + j]).toBeCloseTo(h, 6);
        expect(at(sequenceBlock, n, j)).toBe(hidden[n * units + j]);
      }
    }
    expect([gates, cellsBlock, activationsBlock, sequenceBlock].map((block) => outside(block, rows, block === gates ? G : units))).toEqual(untouched);
  });

  it.each([true, false])('backward (sequence gradient: %s): dz, dc and dh by the chain rule', (withSequenceGrad) => {
    const random = new RandomGenerator(rows * 1000 + units + (withSequenceGrad ? 1 : 0));
    const gates = stepBlock(Float32Array.from({ length: rows * steps * G }, () => random.uniform()), G, steps, step);
    // g is tanh's output: spread it over (-1, 1).
    for (let n = 0; n < rows; n++) for (let j = 0; j < units; j++) gates.values[gates.offset + n * gates.rowStride + 2 * units + j] = 2 * random.uniform() - 1;
    const cellActivations = stepBlock(uniforms(random, rows * steps * units, 1), units, steps, step);
    const previousCells = stepBlock(uniforms(random, rows * steps * units, 2), units, steps, step - 1);
    const sequenceGrad = withSequenceGrad ? stepBlock(uniforms(random, rows * steps * units, 1), units, steps, step) : null;
    const dh = Float64Array.from(uniforms(random, rows * units, 1));
    const dc = Float64Array.from(uniforms(random, rows * units, 1));
    const dhBefore = dh.slice();
    const dcBefore = dc.slice();
    const dz = stepBlock(uniforms(random, rows * steps * G, 1), G, steps, step);
    const untouched = outside(dz, rows, G);

    kernels.lstmCellBackward!({ rows, units, dh, dc, sequenceGrad, gates, cellActivations, previousCells, dz });

    for (let n = 0; n < rows; n++) {
      for (let j = 0; j < units; j++) {
        const [i, f, g, o] = [0, 1, 2, 3].map((k) => at(gates, n, k * units + j));
        const a = at(cellActivations, n, j); // tanh(c')
        const dhTotal = dhBefore[n * units + j] + (sequenceGrad === null ? 0 : at(sequenceGrad, n, j));
        const dcTotal = dcBefore[n * units + j] + dhTotal * o * (1 - a * a);
        const expected = [
          dcTotal * g * i * (1 - i), // d z_i
          dcTotal * at(previousCells, n, j) * f * (1 - f), // d z_f
          dcTotal * i * (1 - g * g), // d z_g
          dhTotal * a * o * (1 - o), // d z_o
        ];
        for (const [k, value] of expected.entries()) expect(at(dz, n, k * units + j)).toBeCloseTo(value, 6);
        expect(dc[n * units + j]).toBeCloseTo(dcTotal * f, 12);
        expect(dh[n * units + j]).toBe(0);
      }
    }
    expect(outside(dz, rows, G)).toEqual(untouched);
  });
});
