import { describe, expect, it } from 'vitest';
import { Dense, Embedding, LSTM, Sequential, TimeDistributed } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

const STEPS = 4;
const CLASSES = 4;
/** Two sequences padded with id 0, which Embedding(maskZero) masks. */
const x = [
  [1, 2, 3, 0],
  [5, 4, 0, 0],
];

function paddedTagger(metrics: string[] = []): Sequential {
  const model = new Sequential([
    new Embedding({ inputDim: 6, outputDim: 3, maskZero: true, inputShape: [STEPS] }),
    new LSTM({ units: 5, returnSequences: true }),
    new TimeDistributed({ layer: new Dense({ units: CLASSES, activation: 'softmax' }) }),
  ]);
  model.compile({ backend: tsBackend(), seed: 4, optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics });
  return model;
}

/** Calls `visit` with the step's class probabilities for every step whose id is not 0. */
function forEachRealStep(
  probabilities: ArrayLike<number>,
  visit: (n: number, t: number, stepProbabilities: number[]) => void,
): void {
  x.forEach((row, n) =>
    row.forEach((id, t) => {
      if (id === 0) return;
      const start = (n * STEPS + t) * CLASSES;
      visit(
        n,
        t,
        Array.from({ length: CLASSES }, (_, k) => probabilities[start + k]),
      );
    }),
  );
}

function argmax(values: readonly number[]): number {
  return values.reduce((best, value, k) => (value > values[best] ? k : best), 0);
}

describe('padding steps do not count in a sequence loss', () => {
  it('evaluate() on a padded batch equals the mean cross-entropy over the real steps only', () => {
    const model = paddedTagger();
    const y = [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
    ];
    const probabilities = model.predict(x).values;
    // Host-side cross-entropy over the steps whose id is not 0.
    let total = 0;
    let count = 0;
    forEachRealStep(probabilities, (n, t, step) => {
      total -= Math.log(step[y[n][t]]);
      count++;
    });
    const logs = model.evaluate(x, y);
    expect(logs.loss).toBeCloseTo(total / count, 5);
  });
});

describe('padding steps do not count in sequence metrics', () => {
  it('evaluate() on a padded batch reports the accuracy and perplexity of the real steps only', () => {
    const model = paddedTagger(['accuracy', 'perplexity']);
    const probabilities = model.predict(x).values;
    // Padded steps are labelled with the model's own prediction, so counting them would raise
    // the accuracy; real steps get fixed labels the untrained model mostly misses.
    const y = x.map((row, n) =>
      row.map((id, t) => {
        if (id !== 0) return (n + t) % CLASSES;
        const start = (n * STEPS + t) * CLASSES;
        return argmax(Array.from({ length: CLASSES }, (_, k) => probabilities[start + k]));
      }),
    );
    let correct = 0;
    let crossEntropy = 0;
    let count = 0;
    forEachRealStep(probabilities, (n, t, step) => {
      if (argmax(step) === y[n][t]) correct++;
      crossEntropy -= Math.log(step[y[n][t]]);
      count++;
    });
    // The check only tells masked from unmasked counting if some real step is wrong.
    expect(correct).toBeLessThan(count);
    const logs = model.evaluate(x, y);
    expect(logs.accuracy).toBeCloseTo(correct / count, 10);
    expect(logs.perplexity).toBeCloseTo(Math.exp(crossEntropy / count), 4);
  });
});
