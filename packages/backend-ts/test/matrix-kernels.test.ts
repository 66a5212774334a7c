import { describe, expect, it } from 'vitest';
import { RandomGenerator, type RecurrentCellConfig } from '@recur/core';
import { tsBackend, type MatrixKernels, type MatrixView } from '../src/index.js';

/**
 * `tsBackend({ matrixKernels })`: which products reach the plugged-in kernels, with which views, and
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
  const values = {
    x: eighths(random, N * T * I),
    kernel: eighths(random, I * 4 * H),
    recurrent: eighths(random, H * 4 * H),
    bias: eighths(random, 4 * H),
  };
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

describe('tsBackend({ matrixKernels })', () => {
  it('names the backend after its kernels', () => {
    expect(tsBackend().name).toBe('ts');
    expect(tsBackend({ matrixKernels: definitionKernels() }).name).toBe('ts+definition');
  });

  it('refuses kernels that are not a MatrixKernels, naming a forgotten await', () => {
    const pending = Promise.resolve(definitionKernels());
    expect(() => tsBackend({ matrixKernels: pending as unknown as MatrixKernels })).toThrow(
      /must be a MatrixKernels .* It is a Promise: await it first/,
    );
    expect(() => tsBackend({ matrixKernels: {} as MatrixKernels })).toThrow(/with a gemm function/);
  });

  it('sends the matmul primitive to the kernels, operands marked as immutable tensor storage', () => {
    const kernels = definitionKernels();
    const backend = tsBackend({ matrixKernels: kernels });
    const a = backend.upload(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], 'float32');
    const b = backend.upload(new Float32Array([1, 0, 2, 1, 0, 3]), [2, 3], 'float32');
    // [[1,2,3],[4,5,6]] · [[1,0,2],[1,0,3]]^T = [[1+6, 1+9], [4+12, 4+18]]
    expect(Array.from(backend.download(backend.matmul(a, b, false, true)))).toEqual([7, 10, 16, 22]);
    expect(kernels.calls).toHaveLength(1);
    const [call] = kernels.calls;
    expect([call.m, call.n, call.k, call.a.transposed, call.b.transposed, call.accumulate]).toEqual([
      2,
      2,
      3,
      false,
      true,
      false,
    ]);
    expect(call.b.values).toBe(b.handle);
    expect(call.a.immutable && call.b.immutable).toBe(true);
  });

  it('keeps one-hot operands on the sparse path, which adds only the rows the nonzeros pick', () => {
    const kernels = definitionKernels();
    const backend = tsBackend({ matrixKernels: kernels });
    // Rows of A: one-hot at 2, all zero, one-hot (value 0.5) at 0, two nonzeros (still sparse overall).
    const a = new Float32Array(4 * 8);
    a[2] = 1;
    a[16] = 0.5;
    a[24 + 1] = 1;
    a[24 + 7] = -2;
    const b = eighths(new RandomGenerator(3), 8 * 5);
    const product = backend.download(
      backend.matmul(backend.upload(a, [4, 8], 'float32'), backend.upload(b, [8, 5], 'float32'), false, false),
    );
    const row = (p: number) => Array.from(b.subarray(p * 5, p * 5 + 5));
    const expected = [
      ...row(2),
      ...[0, 0, 0, 0, 0],
      ...row(0).map((v) => 0.5 * v),
      ...row(1).map((v, j) => v - 2 * row(7)[j]),
    ];
    expect(Array.from(product)).toEqual(expected);
    expect(kernels.calls).toHaveLength(0);
  });

  it('routes every dense product of the fused LSTM through the kernels, the recurrent kernel as an immutable B', () => {
    const [N, T, H] = [3, 4, 2];
    const kernels = definitionKernels();
    const backend = tsBackend({ matrixKernels: kernels });
    const plain = tsBackend();
    const layer = lstmLayer(11, [N, T, 5, H]);
    const config: RecurrentCellConfig = { activation: 'tanh', recurrentActivation: 'sigmoid' };
    const run = (target: typeof backend) => {
      const inputs = layer.inputs(target, null);
      const recurrentKernel = inputs.recurrentKernel;
      const fused = target.lstmSequence!;
      const outputs = fused.forward(config, inputs);
      const grads = fused.backward(config, inputs, outputs, {
        sequence: target.fill([N, T, H], 1, 'float32'),
        finalState: [null, null],
        inputGradient: true,
      });
      return {
        recurrentKernel,
        outputs,
        grads,
        download: (tensor: typeof recurrentKernel) => Array.from(target.download(tensor)),
      };
    };
    const plugged = run(backend);
    // Forward: the input projection, then h · recurrentKernel at each of the T steps.
    const recurrentSteps = kernels.calls.filter(
      (call) => call.b.values === plugged.recurrentKernel.handle && !call.b.transposed,
    );
    expect(recurrentSteps).toHaveLength(T);
    for (const call of recurrentSteps)
      expect([call.m, call.n, call.k, call.accumulate, call.b.immutable]).toEqual([N, 4 * H, H, true, true]);
    // Backward: dz_t · recurrentKernel^T at each step, plus the weight and input gradients.
    expect(
      kernels.calls.filter((call) => call.b.values === plugged.recurrentKernel.handle && call.b.transposed),
    ).toHaveLength(T);
    // The kernels compute the definition, so the results are those of the TypeScript loops
    // up to float32 rounding of the activations' inputs (the products themselves are exact).
    const reference = run(plain);
    const close = (got: number[], expected: number[]) =>
      got.forEach((value, index) => expect(value).toBeCloseTo(expected[index], 6));
    close(plugged.download(plugged.outputs.sequence), reference.download(reference.outputs.sequence));
    close(plugged.download(plugged.grads.recurrentKernel!), reference.download(reference.grads.recurrentKernel!));
    close(plugged.download(plugged.grads.x!), reference.download(reference.grads.x!));
  });

  it('writes a donated table in place only after telling the kernels, and copies it for kernels that cannot be told', () => {
    // What the kernels hold of the table when they hear of it: the values before the write.
    const heard: number[][] = [];
    const told = tsBackend({
      matrixKernels: { ...definitionKernels(), release: (values) => heard.push(Array.from(values)) },
    });
    const untold = tsBackend({ matrixKernels: definitionKernels() });
    for (const [backend, inPlace] of [
      [told, true],
      [untold, false],
    ] as const) {
      const table = backend.upload(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
      const rows = backend.upload(new Int32Array([1]), [1], 'int32');
      const updated = backend.scatterUpdate(
        table,
        rows,
        backend.upload(new Float32Array([9, 8]), [1, 2], 'float32'),
        true,
      );
      expect(Array.from(backend.download(updated))).toEqual([1, 2, 9, 8]);
      expect(updated.handle === table.handle).toBe(inPlace);
    }
    expect(heard).toEqual([[1, 2, 3, 4]]);
  });

  it('tells the kernels which tensor storage is released, so they can drop what they prepared from it', () => {
    const released: Float32Array[] = [];
    const backend = tsBackend({
      matrixKernels: { ...definitionKernels(), release: (values) => released.push(values) },
    });
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
    const backend = tsBackend({ matrixKernels: delegating });
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
    const broken = tsBackend({ matrixKernels: failing });
    const recording = definitionKernels();
    const working = tsBackend({ matrixKernels: recording });
    const plain = tsBackend();
    const ones = (backend: typeof plain) => backend.fill([4, 4], 1, 'float32');
    expect(() => broken.matmul(ones(broken), ones(broken), false, false)).toThrow('provider out of memory');
    expect(Array.from(plain.download(plain.matmul(ones(plain), ones(plain), false, false)))).toEqual(
      new Array(16).fill(4),
    );
    expect(Array.from(working.download(working.matmul(ones(working), ones(working), false, false)))).toEqual(
      new Array(16).fill(4),
    );
    expect(recording.calls).toHaveLength(1);
  });
});
