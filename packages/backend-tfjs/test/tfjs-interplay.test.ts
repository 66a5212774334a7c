import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KernelBackend, TensorInfo } from '@recur/core';
import { tfjsBackend } from '../src/index.js';
import { TFJS_BACKENDS, tf, useTfjsBackend } from './tfjs-setup.js';

/**
 * How this backend lives beside tfjs itself (the kernel contract is covered by the conformance
 * suite): its hard sigmoid is Keras 3's, not tfjs-layers' 0.2x + 0.5; its results survive a
 * caller's own tf.tidy and are freed by release; it refuses handles it did not make.
 */

function upload(
  backend: KernelBackend,
  values: number[],
  shape: number[],
  dtype: 'float32' | 'int32' = 'float32',
): TensorInfo {
  return backend.upload(dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values), shape, dtype);
}

for (const tfjsName of TFJS_BACKENDS) {
  describe(`tfjs ${tfjsName} primitives`, () => {
    beforeAll(() => useTfjsBackend(tfjsName));

    it('hardSigmoid is Keras 3 clip(x / 6 + 0.5, 0, 1), the tfjs-layers formula is not', () => {
      const backend = tfjsBackend({ tf });
      const inputs = [-7, -3, -2.5, -1, -0.3, 0, 0.3, 1, 2.5, 3, 7];
      const got = backend.download(backend.unary('hardSigmoid', upload(backend, inputs, [inputs.length])));
      inputs.forEach((x, k) => {
        const keras3 = Math.min(1, Math.max(0, Math.fround(x) / 6 + 0.5));
        expect(Math.abs(got[k] - keras3), `x = ${x}`).toBeLessThanOrEqual(1e-7);
      });
      // tfjs-layers' own activation gives 0.2 * 1 + 0.5 = 0.7 at x = 1; Keras 3 gives 1/6 + 0.5.
      const tfjsLayers = tf
        .tidy(() => tf.layers.activation({ activation: 'hardSigmoid' }).apply(tf.tensor([1])) as tf.Tensor)
        .dataSync()[0];
      expect(tfjsLayers).toBeCloseTo(0.7, 6);
      expect(got[inputs.indexOf(1)]).toBeCloseTo(1 / 6 + 0.5, 6);
    });

    it('results outlive a caller tf.tidy and are freed by release', () => {
      const backend = tfjsBackend({ tf });
      const before = tf.memory().numTensors;
      let kept: TensorInfo | null = null;
      tf.tidy(() => {
        const x = upload(backend, [1, -2], [2]);
        kept = backend.unary('hardSigmoid', x);
        backend.release(x);
      });
      if (kept === null) throw new Error('tidy did not run');
      const values = backend.download(kept);
      expect(Math.abs(values[0] - (1 / 6 + 0.5))).toBeLessThanOrEqual(1e-7);
      expect(Math.abs(values[1] - (-2 / 6 + 0.5))).toBeLessThanOrEqual(1e-7);
      expect(tf.memory().numTensors).toBe(before + 1);
      backend.release(kept);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('rejects tensors another backend made and float input to index kernels', () => {
      const backend = tfjsBackend({ tf });
      const foreign: TensorInfo = { handle: new Float32Array(2), shape: [2], dtype: 'float32' };
      expect(() => backend.unary('exp', foreign)).toThrow(/not created by the tfjs backend/);
      const table = upload(backend, [1, 2, 3, 4], [2, 2]);
      expect(() => backend.gather(table, upload(backend, [0, 1], [2]))).toThrow(/int32 indices, got float32/);
    });
  });
}

afterAll(() => useTfjsBackend('cpu'));
