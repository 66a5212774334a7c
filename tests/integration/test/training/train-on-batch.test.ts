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
    model.setWeights({
      'dense/kernel': { shape: [2, 1], values: Float32Array.of(1, 2) },
      'dense/bias': { shape: [1], values: Float32Array.of(0) },
    });
    expect(model.trainOnBatch([[1, 1]], [[5]])).toBeCloseTo(4, 6);
    const weights = model.getWeights();
    expect(Array.from(weights.get('dense/kernel')!.values)).toEqual([expect.closeTo(1.4, 6), expect.closeTo(2.4, 6)]);
    expect(weights.get('dense/bias')!.values[0]).toBeCloseTo(0.4, 6);
  });

  it('asks for compile first', () => {
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]).build({ backend: tsBackend() });
    expect(() => model.trainOnBatch([[1, 1]], [[5]])).toThrow(/not compiled; call model.compile/);
  });

  it('takes tensors already on the backend: the same step as host data, with the labels checked', () => {
    const make = () => {
      const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
      model.compile({ backend: tsBackend(), seed: 3, optimizer: 'adam', loss: 'mse' });
      return model;
    };
    const host = make();
    const onTensors = make();
    const x = onTensors.engine.tensor([1, 2, 3, 4], [2, 2]);
    const y = onTensors.engine.tensor([1, 0], [2, 1]);
    for (let step = 0; step < 3; step++) {
      expect(onTensors.trainOnBatch(x, y)).toBe(
        host.trainOnBatch(
          [
            [1, 2],
            [3, 4],
          ],
          [[1], [0]],
        ),
      );
    }
    for (const [name, data] of host.getWeights())
      expect(Array.from(onTensors.getWeights().get(name)!.values)).toEqual(Array.from(data.values));
    expect(() => onTensors.trainOnBatch(x, onTensors.engine.tensor([1, 0], [2, 1], 'int32'))).toThrow(
      /takes float32 labels, got a int32 tensor/,
    );
    expect(() => onTensors.trainOnBatch(x, [[1], [0]])).toThrow(/both as tensors or both as host data/);
  });
});
