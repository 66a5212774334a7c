import { describe, expect, it } from 'vitest';
import { RandomGenerator } from '@recur/core';
import { loadWasmKernels } from '../src/index.js';

/**
 * The whole-sequence LSTM passes of the WebAssembly kernels against the LSTM's equations and
 * backpropagation through time, written out here in float64 with Math.exp and Math.tanh. The
 * shapes cover a batch below one GEMM tile (3), one that leaves a partial tile (6), an odd unit
 * count, dense inputs and sparse ones (one or two nonzeros a row, the rows the kernels sum from
 * their nonzeros), with and without a bias, a sequence gradient and dL/dx.
 * Tolerances are the conformance suite's: the kernels compute in float32.
 */

const kernels = await loadWasmKernels();
type Kernels = typeof kernels;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function uniforms(random: RandomGenerator, count: number, scale: number): Float32Array {
  return Float32Array.from({ length: count }, () => scale * (2 * random.uniform() - 1));
}

/** Rows with `hot` nonzeros each (1 at a random place, then random values at others). */
function sparseRows(random: RandomGenerator, rows: number, size: number, hot: number): Float32Array {
  const x = new Float32Array(rows * size);
  for (let r = 0; r < rows; r++) {
    x[r * size + random.integer(size)] = 1;
    for (let extra = 1; extra < hot; extra++) x[r * size + random.integer(size)] = 2 * random.uniform() - 1;
  }
  return x;
}

interface Case {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly units: number;
  /** Nonzeros per row of x, or null for a dense x. */
  readonly hot: number | null;
  readonly bias: boolean;
  readonly sequenceGrad: boolean;
  readonly xGrad: boolean;
}

/** Every value of a case, drawn from one seed. */
function draw(c: Case) {
  const { batch: N, steps: T, inputSize: I, units: H } = c;
  const random = new RandomGenerator(N * 1000 + T * 100 + I * 10 + H + (c.hot ?? 7));
  const G = 4 * H;
  return {
    x: c.hot === null ? uniforms(random, N * T * I, 1) : sparseRows(random, N * T, I, c.hot),
    kernel: uniforms(random, I * G, 0.5),
    recurrentKernel: uniforms(random, H * G, 0.5),
    bias: c.bias ? uniforms(random, G, 0.5) : null,
    h0: uniforms(random, N * H, 1),
    c0: uniforms(random, N * H, 1),
    sequenceGrad: c.sequenceGrad ? uniforms(random, N * T * H, 1) : null,
    dhFinal: uniforms(random, N * H, 1),
    dcFinal: uniforms(random, N * H, 1),
  };
}

type Values = ReturnType<typeof draw>;

/** The forward pass and BPTT in float64, straight from the equations. */
function reference(c: Case, v: Values) {
  const { batch: N, steps: T, inputSize: I, units: H } = c;
  const G = 4 * H;
  const rows = N * T;
  const z = new Float64Array(rows * G);
  const gates = new Float64Array(rows * G);
  const cells = new Float64Array(rows * H);
  const sequence = new Float64Array(rows * H);
  const previousHidden = new Float64Array(rows * H);
  const h = Float64Array.from(v.h0);
  const cell = Float64Array.from(v.c0);
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) {
      const r = n * T + t;
      for (let j = 0; j < H; j++) previousHidden[r * H + j] = h[n * H + j];
      for (let q = 0; q < G; q++) {
        let sum = v.bias === null ? 0 : v.bias[q];
        for (let p = 0; p < I; p++) sum += v.x[r * I + p] * v.kernel[p * G + q];
        for (let p = 0; p < H; p++) sum += h[n * H + p] * v.recurrentKernel[p * G + q];
        z[r * G + q] = sum;
      }
      for (let j = 0; j < H; j++) {
        const [i, f, g, o] = [
          sigmoid(z[r * G + j]),
          sigmoid(z[r * G + H + j]),
          Math.tanh(z[r * G + 2 * H + j]),
          sigmoid(z[r * G + 3 * H + j]),
        ];
        [gates[r * G + j], gates[r * G + H + j], gates[r * G + 2 * H + j], gates[r * G + 3 * H + j]] = [i, f, g, o];
        cell[n * H + j] = f * cell[n * H + j] + i * g;
        cells[r * H + j] = cell[n * H + j];
      }
      for (let j = 0; j < H; j++) {
        h[n * H + j] = gates[r * G + 3 * H + j] * Math.tanh(cell[n * H + j]);
        sequence[r * H + j] = h[n * H + j];
      }
    }
  }

  const dh = Float64Array.from(v.dhFinal);
  const dc = Float64Array.from(v.dcFinal);
  const kernelGrad = new Float64Array(I * G);
  const recurrentKernelGrad = new Float64Array(H * G);
  const biasGrad = new Float64Array(G);
  const xGrad = new Float64Array(rows * I);
  const dz = new Float64Array(G);
  for (let t = T - 1; t >= 0; t--) {
    for (let n = 0; n < N; n++) {
      const r = n * T + t;
      for (let j = 0; j < H; j++) {
        const [i, f, g, o] = [0, 1, 2, 3].map((k) => gates[r * G + k * H + j]);
        const a = Math.tanh(cells[r * H + j]);
        const dhTotal = dh[n * H + j] + (v.sequenceGrad === null ? 0 : v.sequenceGrad[r * H + j]);
        const dcTotal = dc[n * H + j] + dhTotal * o * (1 - a * a);
        const previousCell = t === 0 ? v.c0[n * H + j] : cells[(r - 1) * H + j];
        dz[j] = dcTotal * g * i * (1 - i);
        dz[H + j] = dcTotal * previousCell * f * (1 - f);
        dz[2 * H + j] = dcTotal * i * (1 - g * g);
        dz[3 * H + j] = dhTotal * a * o * (1 - o);
        dc[n * H + j] = dcTotal * f;
      }
      for (let p = 0; p < H; p++) {
        let sum = 0;
        for (let q = 0; q < G; q++) sum += dz[q] * v.recurrentKernel[p * G + q];
        dh[n * H + p] = sum;
      }
      for (let q = 0; q < G; q++) {
        biasGrad[q] += dz[q];
        for (let p = 0; p < I; p++) kernelGrad[p * G + q] += v.x[r * I + p] * dz[q];
        for (let p = 0; p < H; p++) recurrentKernelGrad[p * G + q] += previousHidden[r * H + p] * dz[q];
      }
      for (let p = 0; p < I; p++) {
        let sum = 0;
        for (let q = 0; q < G; q++) sum += dz[q] * v.kernel[p * G + q];
        xGrad[r * I + p] = sum;
      }
    }
  }
  return {
    z,
    gates,
    cells,
    sequence,
    previousHidden,
    h,
    cell,
    dh,
    dc,
    kernelGrad,
    recurrentKernelGrad,
    biasGrad,
    xGrad,
  };
}

/** |actual - expected| <= tolerance * (1 + |expected|) for every entry. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let k = 0; k < expected.length; k++)
    worst = Math.max(worst, Math.abs(actual[k] - expected[k]) / (1 + Math.abs(expected[k])));
  expect(worst).toBeLessThanOrEqual(tolerance);
}

const cases: Case[] = [
  { batch: 3, steps: 4, inputSize: 5, units: 5, hot: null, bias: true, sequenceGrad: true, xGrad: true },
  { batch: 6, steps: 3, inputSize: 7, units: 4, hot: 1, bias: true, sequenceGrad: true, xGrad: false },
  { batch: 6, steps: 3, inputSize: 7, units: 4, hot: null, bias: false, sequenceGrad: false, xGrad: true },
  { batch: 4, steps: 2, inputSize: 9, units: 3, hot: 1, bias: false, sequenceGrad: true, xGrad: true },
  { batch: 5, steps: 3, inputSize: 9, units: 4, hot: 2, bias: true, sequenceGrad: false, xGrad: true },
];

/** The forward pass of case `c` on `kernels`, run. */
function runForward(kernels: Kernels, c: Case, values: Values) {
  const rows = c.batch * c.steps;
  const G = 4 * c.units;
  const forward = {
    ...weightsOf(c, values),
    bias: values.bias,
    hidden: values.h0.slice(),
    cell: values.c0.slice(),
    gates: new Float32Array(rows * G),
    cells: new Float32Array(rows * c.units),
    cellActivations: new Float32Array(rows * c.units),
    previousHidden: new Float32Array(rows * c.units),
    sequence: new Float32Array(rows * c.units),
  };
  kernels.lstmSequenceForward(forward);
  return forward;
}

/** The backward pass of case `c` on `kernels` after `forward`, run. */
function runBackward(kernels: Kernels, c: Case, values: Values, forward: ReturnType<typeof runForward>) {
  const rows = c.batch * c.steps;
  const G = 4 * c.units;
  const backward = {
    ...weightsOf(c, values),
    dh: Float64Array.from(values.dhFinal),
    dc: Float64Array.from(values.dcFinal),
    sequenceGrad: values.sequenceGrad,
    gates: forward.gates,
    cellActivations: forward.cellActivations,
    cells: forward.cells,
    previousHidden: forward.previousHidden,
    initialCell: values.c0,
    kernelGrad: new Float32Array(c.inputSize * G),
    recurrentKernelGrad: new Float32Array(c.units * G),
    biasGrad: c.bias ? new Float32Array(G) : null,
    xGrad: c.xGrad ? new Float32Array(rows * c.inputSize) : null,
  };
  kernels.lstmSequenceBackward(backward);
  return backward;
}

function weightsOf(c: Case, values: Values) {
  return {
    batch: c.batch,
    steps: c.steps,
    inputSize: c.inputSize,
    units: c.units,
    x: values.x,
    kernel: values.kernel,
    recurrentKernel: values.recurrentKernel,
  };
}

function expectForward(forward: ReturnType<typeof runForward>, expected: ReturnType<typeof reference>): void {
  expectClose(forward.gates, expected.gates, 1e-5);
  expectClose(forward.cells, expected.cells, 1e-5);
  expectClose(forward.cellActivations, expected.cells.map(Math.tanh), 1e-5);
  expectClose(forward.previousHidden, expected.previousHidden, 1e-5);
  expectClose(forward.sequence, expected.sequence, 1e-5);
  expectClose(forward.hidden, expected.h, 1e-5);
  expectClose(forward.cell, expected.cell, 1e-5);
}

function expectBackward(backward: ReturnType<typeof runBackward>, expected: ReturnType<typeof reference>): void {
  expectClose(backward.dh, expected.dh, 1e-4);
  expectClose(backward.dc, expected.dc, 1e-4);
  expectClose(backward.kernelGrad, expected.kernelGrad, 1e-4);
  expectClose(backward.recurrentKernelGrad, expected.recurrentKernelGrad, 1e-4);
  if (backward.biasGrad !== null) expectClose(backward.biasGrad, expected.biasGrad, 1e-4);
  if (backward.xGrad !== null) expectClose(backward.xGrad, expected.xGrad, 1e-4);
}

describe.each(cases)(
  'whole-sequence LSTM passes: $batch samples, $steps steps, $inputSize inputs, $units units',
  (c) => {
    const values = draw(c);
    const expected = reference(c, values);
    const forward = runForward(kernels, c, values);

    it(`forward (${c.hot === null ? 'dense' : `${c.hot} nonzero(s) a row of`} x${c.bias ? ', bias' : ''}): every saved buffer and the final state`, () => {
      expectForward(forward, expected);
    });

    it(`backward (${c.sequenceGrad ? 'with' : 'without'} a sequence gradient${c.xGrad ? ', dL/dx' : ''}): every gradient`, () => {
      expectBackward(runBackward(kernels, c, values, forward), expected);
    });
  },
);

describe('whole-sequence LSTM passes when their two packed weights do not fit the resident budget together', () => {
  // Room for one and a half packed weights ([8 × 32] floats each): packing a pass's second
  // weight recycles the region where its first one was just packed. Each pass must still
  // multiply by the right weights, on every call (each call packs the weights anew).
  const c: Case = {
    batch: 4,
    steps: 3,
    inputSize: 8,
    units: 8,
    hot: null,
    bias: true,
    sequenceGrad: true,
    xGrad: true,
  };
  const values = draw(c);
  const expected = reference(c, values);

  it('forward and backward, called twice, still match the equations', async () => {
    const tight = await loadWasmKernels({ residentBytes: 1.5 * 4 * 8 * 32 });
    for (let call = 0; call < 2; call++) {
      const forward = runForward(tight, c, values);
      expectForward(forward, expected);
      expectBackward(runBackward(tight, c, values, forward), expected);
    }
  });
});
