import { describe, expect, it } from 'vitest';
import { Dense, Embedding, LSTM, Sequential } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';
import { exportOnnx } from '../src/index.js';
import { randomizeWeights, runOnnxRuntime } from './onnxruntime-run.js';

describe('the exported time axis is free', () => {
  it('a model trained on windows of 5 runs in ONNX Runtime on 1 and on 8 steps', async () => {
    const layers = () => [
      new Embedding({ inputDim: 9, outputDim: 3, inputShape: [5] }),
      new LSTM({ units: 4 }),
      new Dense({ units: 2 }),
    ];
    const trained = new Sequential(layers()).build({ backend: tsBackend() });
    randomizeWeights(trained, 3);
    // The same weights in a model whose time axis is free, to compute Recur's answer at other lengths.
    const free = Sequential.fromSpec({ ...trained.spec(), inputShape: [null] }).build({ backend: tsBackend() });
    free.setWeights(trained.getWeights());
    const bytes = exportOnnx(trained);
    for (const steps of [1, 8]) {
      const ids = Int32Array.from({ length: 2 * steps }, (_, k) => (k * 5 + 1) % 9);
      const { output } = await runOnnxRuntime(bytes, { input: { shape: [2, steps], values: ids } });
      const expected = free.predict({ shape: [2, steps], values: ids });
      expect(output.shape).toEqual(expected.shape);
      output.values.forEach((value, k) => expect(Math.abs(value - expected.values[k])).toBeLessThanOrEqual(1e-5));
    }
  });
});
