import { describe, expect, it } from 'vitest';
import { tsBackend } from '../src/index.js';

/**
 * White-box checks of the fused LSTM kernel; its PyTorch goldens run in @recur/conformance's
 * suite (test/conformance.test.ts).
 */

describe('lstmSequence.supports', () => {
  it('accepts the Keras activations and refuses others', () => {
    const kernel = tsBackend().lstmSequence!;
    expect(kernel.supports({ activation: 'relu', recurrentActivation: 'hard_sigmoid' })).toBe(true);
    expect(kernel.supports({ activation: 'linear', recurrentActivation: 'softsign' })).toBe(true);
    expect(kernel.supports({ activation: 'gelu' as never, recurrentActivation: 'sigmoid' })).toBe(false);
  });
});

describe('backward without an input gradient', () => {
  it('returns null for x and the same weight gradients as with it', () => {
    const backend = tsBackend();
    const [N, T, I, H] = [2, 3, 4, 5];
    const values = (count: number, scale: number) =>
      Float32Array.from({ length: count }, (_, k) => scale * Math.sin(k + 1));
    const inputs = {
      x: backend.upload(values(N * T * I, 0.5), [N, T, I], 'float32'),
      initialState: [
        backend.upload(values(N * H, 0.1), [N, H], 'float32'),
        backend.upload(values(N * H, 0.2), [N, H], 'float32'),
      ],
      kernel: backend.upload(values(I * 4 * H, 0.3), [I, 4 * H], 'float32'),
      recurrentKernel: backend.upload(values(H * 4 * H, 0.3), [H, 4 * H], 'float32'),
      bias: backend.upload(values(4 * H, 0.1), [4 * H], 'float32'),
      mask: null,
    };
    const config = { activation: 'tanh', recurrentActivation: 'sigmoid' } as const;
    const outputs = backend.lstmSequence!.forward(config, inputs);
    const upstream = { sequence: backend.upload(values(N * T * H, 1), [N, T, H], 'float32'), finalState: [null, null] };
    const withInput = backend.lstmSequence!.backward(config, inputs, outputs, { ...upstream, inputGradient: true });
    const withoutInput = backend.lstmSequence!.backward(config, inputs, outputs, { ...upstream, inputGradient: false });
    expect(withoutInput.x).toBeNull();
    expect(withInput.x).not.toBeNull();
    expect(Array.from(backend.download(withoutInput.kernel))).toEqual(Array.from(backend.download(withInput.kernel)));
    expect(Array.from(backend.download(withoutInput.recurrentKernel))).toEqual(
      Array.from(backend.download(withInput.recurrentKernel)),
    );
  });
});
