import { describe, expect, it } from 'vitest';
import type { KernelBackend, RecurrentCellConfig } from '@recur/core';
import { tsBackend, type MatrixKernels } from '@recur/backend-ts';
import { loadWasmKernels, withWasmKernels } from '../src/index.js';

/**
 * White-box routing of `withWasmKernels`: which calls the module's LSTM takes and which reach
 * the decorated backend-ts instance, and that the instance multiplies with the module's products.
 * (Numbers are checked by the conformance suite, which runs on the decorated backend.)
 */

const kernels = await loadWasmKernels();
const standard: RecurrentCellConfig = { activation: 'tanh', recurrentActivation: 'sigmoid' };

/** The decorated backend, the backend-ts instance inside it, and the options it was made with. */
function decorated() {
  const made: { inner?: KernelBackend; matrixKernels?: MatrixKernels } = {};
  const backend = withWasmKernels((options) => {
    made.matrixKernels = options.matrixKernels;
    made.inner = tsBackend(options);
    return made.inner;
  }, kernels);
  return { backend, inner: made.inner!, matrixKernels: made.matrixKernels };
}

function lstmInputs(backend: KernelBackend, mask: Float32Array | null) {
  const [N, T, I, H] = [2, 3, 4, 2];
  const ramp = (count: number) => Float32Array.from({ length: count }, (_, index) => ((index % 7) - 3) / 8);
  return {
    x: backend.upload(ramp(N * T * I), [N, T, I], 'float32'),
    kernel: backend.upload(ramp(I * 4 * H), [I, 4 * H], 'float32'),
    recurrentKernel: backend.upload(ramp(H * 4 * H), [H, 4 * H], 'float32'),
    bias: backend.upload(ramp(4 * H), [4 * H], 'float32'),
    initialState: [backend.fill([N, H], 0, 'float32'), backend.fill([N, H], 0, 'float32')],
    mask: mask === null ? null : backend.upload(mask, [N, T], 'float32'),
  };
}

describe('withWasmKernels(tsBackend, kernels)', () => {
  it('makes a backend-ts instance with the module as its matrix products, and keeps its name', () => {
    const { backend, inner, matrixKernels } = decorated();
    expect(matrixKernels).toBe(kernels);
    expect(backend.name).toBe('ts+wasm-simd');
    expect(backend.matmul).toBe(inner.matmul);
    expect(backend.gruSequence).toBe(inner.gruSequence);
    expect(backend.lstmSequence).not.toBe(inner.lstmSequence);
  });

  it('takes the standard unmasked LSTM itself (its own saved tensors), and a mask that skips nothing', () => {
    const { backend, inner } = decorated();
    for (const mask of [null, new Float32Array(6).fill(1)]) {
      const outputs = backend.lstmSequence!.forward(standard, lstmInputs(backend, mask));
      expect(outputs.saved).toHaveLength(4);
      expect(outputs.saved.length).not.toBe(
        inner.lstmSequence!.forward(standard, lstmInputs(inner, mask)).saved.length,
      );
    }
  });

  it('hands masked sequences and other activations to the decorated instance, forward and backward', () => {
    const { backend, inner } = decorated();
    const skipping = new Float32Array([1, 1, 0, 1, 1, 1]);
    const hardSigmoid: RecurrentCellConfig = { activation: 'tanh', recurrentActivation: 'hard_sigmoid' };
    for (const [config, mask] of [
      [standard, skipping],
      [hardSigmoid, null],
    ] as const) {
      expect(backend.lstmSequence!.supports(config)).toBe(true);
      const inputs = lstmInputs(backend, mask);
      const outputs = backend.lstmSequence!.forward(config, inputs);
      const expected = inner.lstmSequence!.forward(config, inputs);
      expect(outputs.saved).toHaveLength(expected.saved.length);
      expect(Array.from(backend.download(outputs.sequence))).toEqual(Array.from(inner.download(expected.sequence)));
      const grads = { sequence: backend.fill([2, 3, 2], 1, 'float32'), finalState: [null, null], inputGradient: true };
      const got = backend.lstmSequence!.backward(config, inputs, outputs, grads);
      const want = inner.lstmSequence!.backward(config, inputs, expected, grads);
      expect(Array.from(backend.download(got.kernel))).toEqual(Array.from(inner.download(want.kernel)));
    }
  });

  it('leaves malformed inputs to the decorated instance, whose messages name the problem', () => {
    const { backend } = decorated();
    const inputs = { ...lstmInputs(backend, null), bias: backend.fill([3], 0, 'float32') };
    expect(() => backend.lstmSequence!.forward(standard, inputs)).toThrow(/LSTM bias must have shape/);
  });
});
