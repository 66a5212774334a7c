import { describe, expect, it } from 'vitest';
import { Dense, Embedding, LSTM, Sequential, TimeDistributed } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

describe('padding steps do not count in a sequence loss', () => {
  it('evaluate() on a padded batch equals the mean cross-entropy over the real steps only', () => {
    const model = new Sequential([
      new Embedding({ inputDim: 6, outputDim: 3, maskZero: true, inputShape: [4] }),
      new LSTM({ units: 5, returnSequences: true }),
      new TimeDistributed({ layer: new Dense({ units: 4, activation: 'softmax' }) }),
    ]);
    model.compile({ backend: tsBackend(), seed: 4, optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const x = [
      [1, 2, 3, 0],
      [5, 4, 0, 0],
    ];
    const y = [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
    ];
    const probabilities = model.predict(x).values;
    // Host-side cross-entropy over the steps whose id is not 0.
    let total = 0;
    let count = 0;
    x.forEach((row, n) =>
      row.forEach((id, t) => {
        if (id === 0) return;
        total -= Math.log(probabilities[(n * 4 + t) * 4 + y[n][t]]);
        count++;
      }),
    );
    const logs = model.evaluate(x, y);
    expect(logs.loss).toBeCloseTo(total / count, 5);
  });
});
