import { describe, expect, it } from 'vitest';
import { Adam, Dense, Embedding, LSTM, RandomGenerator, Sequential } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

/**
 * An LSTM learns a task that needs memory and cannot be met by chance: at every step, name the
 * token seen two steps earlier ("delayed echo"). Tokens are uniform over 5 symbols, so guessing
 * scores 20%; a model without memory of the last two inputs cannot beat that either. The
 * first two steps have nothing to echo and are labelled with a sixth class, "nothing yet".
 */

const SYMBOLS = 5;
const NOTHING_YET = SYMBOLS;
const LENGTH = 10;
const DELAY = 2;

function dataset(count: number, seed: number): { x: number[][]; y: number[][] } {
  const random = new RandomGenerator(seed);
  const x = Array.from({ length: count }, () => Array.from({ length: LENGTH }, () => random.integer(SYMBOLS)));
  const y = x.map((sequence) => sequence.map((_, t) => (t < DELAY ? NOTHING_YET : sequence[t - DELAY])));
  return { x, y };
}

describe('an LSTM learns', () => {
  it('to echo the token from two steps back, on sequences it never saw (>= 95%, chance 20%)', async () => {
    const train = dataset(640, 1);
    const heldOut = dataset(200, 2);
    const model = new Sequential([
      new Embedding({ inputDim: SYMBOLS, outputDim: 8, inputShape: [LENGTH] }),
      new LSTM({ units: 24, returnSequences: true }),
      new Dense({ units: SYMBOLS + 1, activation: 'softmax' }),
    ]);
    model.compile({
      optimizer: new Adam({ learningRate: 0.02 }),
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
      backend: tsBackend(),
      seed: 3,
    });
    await model.fit(train.x, train.y, { epochs: 12, batchSize: 32 });

    const predictions = model.predict(heldOut.x);
    let correct = 0;
    let total = 0;
    heldOut.x.forEach((sequence, n) => {
      for (let t = DELAY; t < LENGTH; t++) {
        const row = predictions.values.subarray((n * LENGTH + t) * (SYMBOLS + 1), (n * LENGTH + t + 1) * (SYMBOLS + 1));
        const guess = row.indexOf(Math.max(...row));
        if (guess === sequence[t - DELAY]) correct++;
        total++;
      }
    });
    expect(correct / total).toBeGreaterThanOrEqual(0.95);
  });
});
