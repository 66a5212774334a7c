import { describe, expect, it } from 'vitest';
import { RandomGenerator, type RecurrentCellConfig } from '@recur/core';
import {
  tsBackend,
  type LstmCellBackwardStep,
  type LstmCellForwardStep,
  type LstmSequenceBackwardPass,
  type LstmSequenceForwardPass,
  type LstmSequenceWeights,
  type MatrixKernels,
  type MatrixView,
  type RowBlock,
} from '../src/index.js';

/**
 * `tsBackend({ kernels })`: which products reach the plugged-in kernels, with which views, and
 * that a provider never leaks into another backend. The provider here is the definition of the
 * product as plain loops that records each call; entries are multiples of 1/8, so every sum is
 * exact in float32 and results compare for equality with hand-derived values.
 */

interface RecordedCall {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: MatrixView;
  readonly b: MatrixView;
  readonly accumulate: boolean;
}

function entry(view: MatrixView, row: number, column: number): number {
  const [storedRow, storedColumn] = view.transposed ? [column, row] : [row, column];
  return view.values[view.offset + storedRow * view.rowStride + storedColumn];
}

function definitionKernels(): MatrixKernels & { readonly calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return {
    name: 'definition',
    calls,
    gemm(m, n, k, a, b, c, cOffset, cRowStride, accumulate) {
      calls.push({ m, n, k, a, b, accumulate });
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = accumulate ? c[cOffset + i * cRowStride + j] : 0;
          for (let p = 0; p < k; p++) sum += entry(a, i, p) * entry(b, p, j);
          c[cOffset + i * cRowStride + j] = sum;
        }
      }
    },
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const rowIndex = (block: RowBlock<Float32Array>, row: number, column: number) => block.offset + row * block.rowStride + column;

/**
 * `definitionKernels` plus the optional LSTM cell steps, the cell's equations written out in
 * float64, counting the rows each call covers.
 */
function cellStepKernels(): MatrixKernels & { readonly calls: RecordedCall[]; readonly steps: { forward: number[]; backward: number[] } } {
  const steps = { forward: [] as number[], backward: [] as number[] };
  return {
    ...definitionKernels(),
    steps,
    lstmCellForward(step: LstmCellForwardStep) {
      const { rows, units: H, z, gates } = step;
      steps.forward.push(rows);
      for (let n = 0; n < rows; n++) {
        for (let j = 0; j < H; j++) {
          const [i, f, g, o] = [sigmoid, sigmoid, Math.tanh, sigmoid].map((activation, k) => {
            const value = Math.fround(activation(z.values[rowIndex(z, n, k * H + j)]));
            gates.values[rowIndex(gates, n, k * H + j)] = value;
            return value;
          });
          const c = Math.fround(f * step.cell[n * H + j] + i * g);
          const a = Math.fround(Math.tanh(c));
          step.cell[n * H + j] = step.cells.values[rowIndex(step.cells, n, j)] = c;
          step.cellActivations.values[rowIndex(step.cellActivations, n, j)] = a;
          step.hidden[n * H + j] = step.sequence.values[rowIndex(step.sequence, n, j)] = o * a;
        }
      }
    },
    lstmCellBackward(step: LstmCellBackwardStep) {
      const { rows, units: H, dh, dc, gates, dz } = step;
      steps.backward.push(rows);
      for (let n = 0; n < rows; n++) {
        for (let j = 0; j < H; j++) {
          const [i, f, g, o] = [0, 1, 2, 3].map((k) => gates.values[rowIndex(gates, n, k * H + j)]);
          const a = step.cellActivations.values[rowIndex(step.cellActivations, n, j)];
          const dhTotal = dh[n * H + j] + (step.sequenceGrad === null ? 0 : step.sequenceGrad.values[rowIndex(step.sequenceGrad, n, j)]);
          const dcTotal = dc[n * H + j] + dhTotal * o * (1 - a * a);
          const previous = step.previousCells.values[rowIndex(step.previousCells, n, j)];
          const gradients = [dcTotal * g * i * (1 - i), dcTotal * previous * f * (1 - f), dcTotal * i * (1 - g * g), dhTotal * a * o * (1 - o)];
          gradients.forEach((value, k) => (dz.values[rowIndex(dz, n, k * H + j)] = value));
          dc[n * H + j] = dcTotal * f;
          dh[n * H + j] = 0;
        }
      }
    },
  };
}

function eighths(random: RandomGenerator, count: number): Float32Array {
  return Float32Array.from({ length: count }, () => (random.integer(17) - 8) / 8);
}

/**
 * An LSTM layer's values drawn from `seed` (x [N, T, I], kernel, recurrent kernel, bias, all
 * eighths) and, per backend, the fused kernel's inputs: those values, initial h 0.5 and
 * c -0.25, and `mask` [N, T] or none.
 */
function lstmLayer(seed: number, [N, T, I, H]: readonly [number, number, number, number]) {
  const random = new RandomGenerator(seed);
  const values = { x: eighths(random, N * T * I), kernel: eighths(random, I * 4 * H), recurrent: eighths(random, H * 4 * H), bias: eighths(random, 4 * H) };
  const inputs = (target: ReturnType<typeof tsBackend>, mask: Float32Array | null) => ({
    x: target.upload(values.x, [N, T, I], 'float32'),
    kernel: target.upload(values.kernel, [I, 4 * H], 'float32'),
    recurrentKernel: target.upload(values.recurrent, [H, 4 * H], 'float32'),
    bias: target.upload(values.bias, [4 * H], 'float32'),
    initialState: [target.fill([N, H], 0.5, 'float32'), target.fill([N, H], -0.25, 'float32')],
    mask: mask === null ? null : target.upload(mask, [N, T], 'float32'),
  });
  return { values, inputs };
}

describe('tsBackend({ kernels })', () => {
  it('names the backend after its kernels', () => {
    expect(tsBackend().name).toBe('ts');
    expect(tsBackend({ kernels: definitionKernels() }).name).toBe('ts+definition');
  });

  it('refuses kernels that are not a MatrixKernels, naming a forgotten await', () => {
    const pending = Promise.resolve(definitionKernels());
    expect(() => tsBackend({ kernels: pending as unknown as MatrixKernels })).toThrow(/must be a MatrixKernels .* It is a Promise: await loadWasmKernels\(\) first/);
    expect(() => tsBackend({ kernels: {} as MatrixKernels })).toThrow(/with a gemm function/);
  });

  it('sends the matmul primitive to the kernels, operands marked as immutable tensor storage', () => {
    const kernels = definitionKernels();
    const backend = tsBackend({ kernels });
    const a = backend.upload(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], 'float32');
    const b = backend.upload(new Float32Array([1, 0, 2, 1, 0, 3]), [2, 3], 'float32');
    // [[1,2,3],[4,5,6]] · [[1,0,2],[1,0,3]]^T = [[1+6, 1+9], [4+12, 4+18]]
    expect(Array.from(backend.download(backend.matmul(a, b, false, true)))).toEqual([7, 10, 16, 22]);
    expect(kernels.calls).toHaveLength(1);
    const [call] = kernels.calls;
    expect([call.m, call.n, call.k, call.a.transposed, call.b.transposed, call.accumulate]).toEqual([2, 2, 3, false, true, false]);
    expect(call.b.values).toBe(b.handle);
    expect(call.a.immutable && call.b.immutable).toBe(true);
  });

  it('keeps one-hot operands on the sparse path, which adds only the rows the nonzeros pick', () => {
    const kernels = definitionKernels();
    const backend = tsBackend({ kernels });
    // Rows of A: one-hot at 2, all zero, one-hot (value 0.5) at 0, two nonzeros (still sparse overall).
    const a = new Float32Array(4 * 8);
    a[2] = 1;
    a[16] = 0.5;
    a[24 + 1] = 1;
    a[24 + 7] = -2;
    const b = eighths(new RandomGenerator(3), 8 * 5);
    const product = backend.download(backend.matmul(backend.upload(a, [4, 8], 'float32'), backend.upload(b, [8, 5], 'float32'), false, false));
    const row = (p: number) => Array.from(b.subarray(p * 5, p * 5 + 5));
    const expected = [...row(2), ...[0, 0, 0, 0, 0], ...row(0).map((v) => 0.5 * v), ...row(1).map((v, j) => v - 2 * row(7)[j])];
    expect(Array.from(product)).toEqual(expected);
    expect(kernels.calls).toHaveLength(0);
  });

  it('routes every dense product of the fused LSTM through the kernels, the recurrent kernel as an immutable B', () => {
    const [N, T, H] = [3, 4, 2];
    const kernels = definitionKernels();
    const backend = tsBackend({ kernels });
    const plain = tsBackend();
    const layer = lstmLayer(11, [N, T, 5, H]);
    const config: RecurrentCellConfig = { activation: 'tanh', recurrentActivation: 'sigmoid' };
    const run = (target: typeof backend) => {
      const inputs = layer.inputs(target, null);
      const recurrentKernel = inputs.recurrentKernel;
      const fused = target.lstmSequence!;
      const outputs = fused.forward(config, inputs);
      const grads = fused.backward(config, inputs, outputs, { sequence: target.fill([N, T, H], 1, 'float32'), finalState: [null, null], inputGradient: true });
      return { recurrentKernel, outputs, grads, download: (tensor: typeof recurrentKernel) => Array.from(target.download(tensor)) };
    };
    const plugged = run(backend);
    // Forward: the input projection, then h · recurrentKernel at each of the T steps.
    const recurrentSteps = kernels.calls.filter((call) => call.b.values === plugged.recurrentKernel.handle && !call.b.transposed);
    expect(recurrentSteps).toHaveLength(T);
    for (const call of recurrentSteps) expect([call.m, call.n, call.k, call.accumulate, call.b.immutable]).toEqual([N, 4 * H, H, true, true]);
    // Backward: dz_t · recurrentKernel^T at each step, plus the weight and input gradients.
    expect(kernels.calls.filter((call) => call.b.values === plugged.recurrentKernel.handle && call.b.transposed)).toHaveLength(T);
    // The kernels compute the definition, so the results are those of the TypeScript loops
    // up to float32 rounding of the activations' inputs (the products themselves are exact).
    const reference = run(plain);
    const close = (got: number[], expected: number[]) => got.forEach((value, index) => expect(value).toBeCloseTo(expected[index], 6));
    close(plugged.download(plugged.outputs.sequence), reference.download(reference.outputs.sequence));
    close(plugged.download(plugged.grads.recurrentKernel!), reference.download(reference.grads.recurrentKernel!));
    close(plugged.download(plugged.grads.x!), reference.download(reference.grads.x!));
  });

  describe('a provider with LSTM cell steps', () => {
    const [N, T, H] = [3, 4, 3];
    const layer = lstmLayer(23, [N, T, 5, H]);
    // Sample 1 is masked out at step 2 only.
    const maskValues = Float32Array.from({ length: N * T }, (_, row) => (row === 1 * T + 2 ? 0 : 1));
    const run = (target: ReturnType<typeof tsBackend>, config: RecurrentCellConfig, masked: boolean) => {
      const inputs = layer.inputs(target, masked ? maskValues : null);
      const fused = target.lstmSequence!;
      const outputs = fused.forward(config, inputs);
      const grads = fused.backward(config, inputs, outputs, { sequence: target.fill([N, T, H], 1, 'float32'), finalState: [null, null], inputGradient: true });
      return [outputs.sequence, outputs.finalState[1], grads.x!, grads.kernel!, grads.recurrentKernel!, grads.bias!, grads.initialState[1]].map((tensor) => Array.from(target.download(tensor)));
    };
    const standard: RecurrentCellConfig = { activation: 'tanh', recurrentActivation: 'sigmoid' };

    it.each([false, true])('computes every step of the standard cell whose samples are all present (mask: %s), with the same results', (masked) => {
      const kernels = cellStepKernels();
      const plugged = run(tsBackend({ kernels }), standard, masked);
      // All N samples per call; the masked step (2) is left to the TypeScript loops.
      const expectedSteps = masked ? T - 1 : T;
      expect(kernels.steps.forward).toEqual(new Array(expectedSteps).fill(N));
      expect(kernels.steps.backward).toEqual(new Array(expectedSteps).fill(N));
      const reference = run(tsBackend(), standard, masked);
      plugged.forEach((got, output) => got.forEach((value, index) => expect(value).toBeCloseTo(reference[output][index], 6)));
    });

    it('leaves cells with other activations to the TypeScript loops', () => {
      const kernels = cellStepKernels();
      run(tsBackend({ kernels }), { activation: 'tanh', recurrentActivation: 'hard_sigmoid' }, false);
      expect(kernels.steps).toEqual({ forward: [], backward: [] });
    });
  });

  describe('a provider with whole-sequence LSTM passes', () => {
    const [N, T, I, H] = [3, 4, 5, 3];
    const layer = lstmLayer(29, [N, T, I, H]);
    const values = layer.values;
    const maskValues = Float32Array.from({ length: N * T }, (_, row) => (row === 2 * T + 1 ? 0 : 1));
    const standard: RecurrentCellConfig = { activation: 'tanh', recurrentActivation: 'sigmoid' };

    /**
     * Records each pass and computes it with a plain backend's fused LSTM from the pass's own
     * arrays, so the results equal a plain run exactly when backend-ts hands over the right
     * inputs and reads back the right outputs.
     */
    function sequencePassKernels() {
      const plain = tsBackend();
      const passes = { forward: [] as LstmSequenceForwardPass[], backward: [] as LstmSequenceBackwardPass[] };
      const inputsOf = (pass: LstmSequenceWeights, bias: Float32Array | null, h: Float32Array, c: Float32Array) => ({
        x: plain.upload(pass.x, [pass.batch, pass.steps, pass.inputSize], 'float32'),
        kernel: plain.upload(pass.kernel, [pass.inputSize, 4 * pass.units], 'float32'),
        recurrentKernel: plain.upload(pass.recurrentKernel, [pass.units, 4 * pass.units], 'float32'),
        bias: bias === null ? null : plain.upload(bias, [4 * pass.units], 'float32'),
        initialState: [plain.upload(h, [pass.batch, pass.units], 'float32'), plain.upload(c, [pass.batch, pass.units], 'float32')],
        mask: null,
      });
      const kernels: MatrixKernels & { readonly calls: RecordedCall[]; readonly passes: typeof passes } = {
        ...definitionKernels(),
        passes,
        lstmSequenceForward(pass) {
          passes.forward.push(pass);
          const outputs = plain.lstmSequence!.forward(standard, inputsOf(pass, pass.bias, pass.hidden, pass.cell));
          const written = [pass.z, pass.gates, pass.cells, pass.cellActivations, pass.previousHidden];
          outputs.saved.forEach((tensor, index) => written[index]?.set(plain.download(tensor)));
          pass.sequence.set(plain.download(outputs.sequence));
          pass.hidden.set(plain.download(outputs.finalState[0]));
          pass.cell.set(plain.download(outputs.finalState[1]));
        },
        lstmSequenceBackward(pass) {
          passes.backward.push(pass);
          const initialHidden = new Float32Array(pass.batch * pass.units); // not read backward
          const inputs = inputsOf(pass, pass.biasGrad === null ? null : new Float32Array(4 * pass.units), initialHidden, pass.initialCell);
          const saved = [new Float32Array(pass.gates.length), pass.gates, pass.cells, pass.cellActivations, pass.previousHidden];
          const shapes = [4 * pass.units, 4 * pass.units, pass.units, pass.units, pass.units].map((width) => [pass.batch, pass.steps, width]);
          const outputs = {
            sequence: plain.upload(new Float32Array(pass.batch * pass.steps * pass.units), [pass.batch, pass.steps, pass.units], 'float32'),
            finalState: [],
            saved: saved.map((array, index) => plain.upload(array, shapes[index], 'float32')),
          };
          const sequence = pass.sequenceGrad === null ? null : plain.upload(pass.sequenceGrad, [pass.batch, pass.steps, pass.units], 'float32');
          const finalState = [Float32Array.from(pass.dh), Float32Array.from(pass.dc)].map((values) => plain.upload(values, [pass.batch, pass.units], 'float32'));
          const grads = plain.lstmSequence!.backward(standard, inputs, outputs, { sequence, finalState, inputGradient: pass.xGrad !== null });
          pass.kernelGrad.set(plain.download(grads.kernel!));
          pass.recurrentKernelGrad.set(plain.download(grads.recurrentKernel!));
          pass.biasGrad?.set(plain.download(grads.bias!));
          pass.xGrad?.set(plain.download(grads.x!));
          pass.dh.set(plain.download(grads.initialState[0]));
          pass.dc.set(plain.download(grads.initialState[1]));
        },
      };
      return kernels;
    }

    const run = (target: ReturnType<typeof tsBackend>, masked: boolean) => {
      const inputs = layer.inputs(target, masked ? maskValues : null);
      const fused = target.lstmSequence!;
      const outputs = fused.forward(standard, inputs);
      const grads = fused.backward(standard, inputs, outputs, { sequence: target.fill([N, T, H], 1, 'float32'), finalState: [target.fill([N, H], 0.25, 'float32'), null], inputGradient: true });
      return [outputs.sequence, outputs.finalState[0], outputs.finalState[1], grads.x!, grads.kernel!, grads.recurrentKernel!, grads.bias!, ...grads.initialState].map((tensor) =>
        Array.from(target.download(tensor)),
      );
    };

    it('gets a whole unmasked call of the standard cell, the layer\'s inputs and weights as they are, with the same results', () => {
      const kernels = sequencePassKernels();
      const backend = tsBackend({ kernels });
      const plugged = run(backend, false);
      expect(kernels.passes.forward.map(({ batch, steps, inputSize, units }) => [batch, steps, inputSize, units])).toEqual([[N, T, I, H]]);
      expect(kernels.passes.backward).toHaveLength(1);
      expect(Array.from(kernels.passes.forward[0].x)).toEqual(Array.from(values.x));
      expect(Array.from(kernels.passes.backward[0].recurrentKernel)).toEqual(Array.from(values.recurrent));
      // The provider runs the backward too, which reads the gates: the forward skips writing z.
      expect(kernels.passes.forward[0].z).toBeNull();
      // No per-step product reaches gemm: the passes own the time loop and the weight gradients.
      expect(kernels.calls).toHaveLength(0);
      expect(plugged).toEqual(run(tsBackend(), false));
    });

    it('asks a provider with only the forward pass for z, which the TypeScript backward reads', () => {
      const { lstmSequenceBackward: _, ...forwardOnly } = sequencePassKernels();
      const backend = tsBackend({ kernels: forwardOnly });
      expect(run(backend, false)).toEqual(run(tsBackend(), false));
      expect(forwardOnly.passes.forward[0].z).toHaveLength(N * T * 4 * H);
    });

    it('leaves a call whose mask skips a sample to the per-step path', () => {
      const kernels = sequencePassKernels();
      run(tsBackend({ kernels }), true);
      expect(kernels.passes).toEqual({ forward: [], backward: [] });
      expect(kernels.calls.length).toBeGreaterThan(0);
    });
  });

  it('writes a donated table in place only after telling the kernels, and copies it for kernels that cannot be told', () => {
    // What the kernels hold of the table when they hear of it: the values before the write.
    const heard: number[][] = [];
    const told = tsBackend({ kernels: { ...definitionKernels(), release: (values) => heard.push(Array.from(values)) } });
    const untold = tsBackend({ kernels: definitionKernels() });
    for (const [backend, inPlace] of [[told, true], [untold, false]] as const) {
      const table = backend.upload(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
      const rows = backend.upload(new Int32Array([1]), [1], 'int32');
      const updated = backend.scatterUpdate(table, rows, backend.upload(new Float32Array([9, 8]), [1, 2], 'float32'), true);
      expect(Array.from(backend.download(updated))).toEqual([1, 2, 9, 8]);
      expect(updated.handle === table.handle).toBe(inPlace);
    }
    expect(heard).toEqual([[1, 2, 3, 4]]);
  });

  it('tells the kernels which tensor storage is released, so they can drop what they prepared from it', () => {
    const released: Float32Array[] = [];
    const backend = tsBackend({ kernels: { ...definitionKernels(), release: (values) => released.push(values) } });
    const weight = backend.upload(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
    const indices = backend.upload(new Int32Array([0, 1]), [2], 'int32');
    backend.release(weight);
    backend.release(indices);
    expect(released).toHaveLength(1);
    expect(released[0]).toBe(weight.handle);
  });

  it('runs a plain backend used inside a provider on the TypeScript loops, not on the provider again', () => {
    const plain = tsBackend();
    let depth = 0;
    const delegating: MatrixKernels = {
      name: 'delegating',
      gemm(m, n, k, a, b, c, cOffset) {
        depth++;
        if (depth > 1) throw new Error('the provider was re-entered');
        const left = plain.upload(a.values.slice(a.offset, a.offset + m * k), [m, k], 'float32');
        const right = plain.upload(b.values.slice(b.offset, b.offset + k * n), [k, n], 'float32');
        // The products this test makes are whole contiguous matrices, so C is too.
        c.set(plain.download(plain.matmul(left, right, false, false)), cOffset);
        depth--;
      },
    };
    const backend = tsBackend({ kernels: delegating });
    const a = backend.upload(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
    expect(Array.from(backend.download(backend.matmul(a, a, false, false)))).toEqual([7, 10, 15, 22]);
  });

  it('a provider that throws fails its own call only; other backends keep their own products', () => {
    const failing: MatrixKernels = {
      name: 'failing',
      gemm() {
        throw new Error('provider out of memory');
      },
    };
    const broken = tsBackend({ kernels: failing });
    const recording = definitionKernels();
    const working = tsBackend({ kernels: recording });
    const plain = tsBackend();
    const ones = (backend: typeof plain) => backend.fill([4, 4], 1, 'float32');
    expect(() => broken.matmul(ones(broken), ones(broken), false, false)).toThrow('provider out of memory');
    expect(Array.from(plain.download(plain.matmul(ones(plain), ones(plain), false, false)))).toEqual(new Array(16).fill(4));
    expect(Array.from(working.download(working.matmul(ones(working), ones(working), false, false)))).toEqual(new Array(16).fill(4));
    expect(recording.calls).toHaveLength(1);
  });
});
