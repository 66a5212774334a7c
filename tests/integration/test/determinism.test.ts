import { describe, expect, it } from 'vitest';
import { Dense, LSTM, Sequential, GRU } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

function makeModel(seed: number) {
  const model = new Sequential([
    new LSTM({ units: 6, returnSequences: true, inputShape: [4, 3] }),
    new GRU({ units: 3 }),
    new Dense({ units: 2 }),
  ]);
  return model.build({ backend: tsBackend(), seed });
}

describe('same seed, same numbers', () => {
  it('two builds with one seed have bit-identical weights and outputs; another seed differs', () => {
    const x = [
      [
        [0.1, 0.2, 0.3],
        [0.4, 0.5, 0.6],
        [0.7, 0.8, 0.9],
        [1, 1.1, 1.2],
      ],
    ];
    const a = makeModel(7);
    const b = makeModel(7);
    const c = makeModel(8);
    for (const [name, data] of a.getWeights())
      expect(Array.from(b.getWeights().get(name)!.values)).toEqual(Array.from(data.values));
    expect(Array.from(a.predict(x).values)).toEqual(Array.from(b.predict(x).values));
    expect(Array.from(a.predict(x).values)).not.toEqual(Array.from(c.predict(x).values));
  });

  it('the orthogonal recurrent initializer gives orthogonal matrices (Keras default)', () => {
    const model = makeModel(1);
    const recurrent = model.getWeights().get('lstm/recurrent_kernel')!;
    const [rows, columns] = recurrent.shape;
    // A [H, 4H] orthogonal matrix has orthonormal rows: W Wᵀ = I.
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < rows; j++) {
        let dot = 0;
        for (let k = 0; k < columns; k++) dot += recurrent.values[i * columns + k] * recurrent.values[j * columns + k];
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    }
    const bias = model.getWeights().get('lstm/bias')!.values;
    // unit_forget_bias: zeros except ones on the forget block [H, 2H).
    expect(Array.from(bias)).toEqual([...Array(6).fill(0), ...Array(6).fill(1), ...Array(12).fill(0)]);
  });
});
