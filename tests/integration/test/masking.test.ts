import { describe, expect, it } from 'vitest';
import { Dense, Embedding, LSTM, Masking, Sequential, TimeDistributed, GRU } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

describe('padding is skipped', () => {
  it('Embedding(maskZero) + LSTM: a padded batch gives each sequence its unpadded result', () => {
    const model = new Sequential([
      new Embedding({ inputDim: 9, outputDim: 4, maskZero: true, inputShape: [null] }),
      new LSTM({ units: 5 }),
      new Dense({ units: 2 }),
    ]);
    model.build({ backend: tsBackend(), seed: 5 });
    const batch = model.predict([
      [3, 1, 4, 1, 5],
      [2, 7, 0, 0, 0],
    ]);
    const alone = model.predict([[2, 7]]);
    const full = model.predict([[3, 1, 4, 1, 5]]);
    alone.values.forEach((value, i) => expect(batch.values[2 + i]).toBeCloseTo(value, 6));
    full.values.forEach((value, i) => expect(batch.values[i]).toBeCloseTo(value, 6));
  });

  it('Masking + GRU returning sequences: padded steps output exactly zero', () => {
    const model = new Sequential([
      new Masking({ maskValue: 0, inputShape: [null, 2] }),
      new GRU({ units: 3, returnSequences: true }),
    ]);
    model.build({ backend: tsBackend(), seed: 2 });
    const out = model.predict([
      [
        [1, 2],
        [0.5, -1],
        [0, 0],
      ],
    ]);
    expect(out.shape).toEqual([1, 3, 3]);
    for (const value of out.values.slice(6)) expect(Math.abs(value)).toBe(0);
    const alone = model.predict([
      [
        [1, 2],
        [0.5, -1],
      ],
    ]);
    alone.values.forEach((value, i) => expect(out.values[i]).toBeCloseTo(value, 6));
  });

  it('TimeDistributed(Dense) applies the same weights at every step', () => {
    const model = new Sequential([new TimeDistributed({ layer: new Dense({ units: 2 }), inputShape: [3, 4] })]);
    model.build({ backend: tsBackend(), seed: 9 });
    const x = [
      [
        [1, 2, 3, 4],
        [0, 0, 1, 0],
        [-1, 0.5, 0, 2],
      ],
    ];
    const out = model.predict(x);
    const weights = model.getWeights();
    const kernel = weights.get('time_distributed/dense/kernel')!.values;
    const bias = weights.get('time_distributed/dense/bias')!.values;
    x[0].forEach((row, t) => {
      for (let j = 0; j < 2; j++) {
        const expected = row.reduce((total, value, i) => total + value * kernel[i * 2 + j], bias[j]);
        expect(out.values[t * 2 + j]).toBeCloseTo(expected, 5);
      }
    });
  });
});
