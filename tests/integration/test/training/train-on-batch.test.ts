import { describe, expect, it } from 'vitest';
import { Dense, Sequential } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

describe('trainOnBatch', () => {
  it('takes one SGD step: the loss before it and the weights after it follow the closed form', () => {
    // y = w·x + b with w = [1, 2], b = 0 and one sample x = [1, 1], target 5:
    // prediction 3, MSE (3 - 5)² = 4; gradient dL/dw = 2 (3 - 5) x = [-4, -4], dL/db = -4;
    // SGD with learning rate 0.1 moves w to [1.4, 2.4] and b to 0.4.
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    model.compile({ backend: tsBackend(), optimizer: { kind: 'sgd', options: { learningRate: 0.1 } }, loss: 'mse' });
    model.setWeights({ 'dense/kernel': { shape: [2, 1], values: Float32Array.of(1, 2) }, 'dense/bias': { shape: [1], values: Float32Array.of(0) } });
    expect(model.trainOnBatch([[1, 1]], [[5]])).toBeCloseTo(4, 6);
    const weights = model.getWeights();
    expect(Array.from(weights.get('dense/kernel')!.values)).toEqual([expect.closeTo(1.4, 6), expect.closeTo(2.4, 6)]);
    expect(weights.get('dense/bias')!.values[0]).toBeCloseTo(0.4, 6);
  });

  it('asks for compile first', () => {
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]).build({ backend: tsBackend() });
    expect(() => model.trainOnBatch([[1, 1]], [[5]])).toThrow(/not compiled; call model.compile/);
  });
});
