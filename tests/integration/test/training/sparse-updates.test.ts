import { describe, expect, it } from 'vitest';
import {
  Adagrad,
  Adam,
  Dense,
  Embedding,
  Engine,
  LSTM,
  RMSprop,
  SGD,
  Sequential,
  ShapeError,
  ValueError,
  Variable,
  ops,
  resolveOptimizer,
  valueAndGradients,
  type Optimizer,
} from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

/**
 * `sparseUpdates`: an optimizer updates only the embedding rows a batch looked up. Expected
 * values are the lazy Adam formulas (PyTorch's SparseAdam, TF Addons' LazyAdam) worked in
 * float64 here, and, for SGD and Adagrad, the math fact that a zero gradient row leaves a row
 * and its accumulator unchanged, so the lazy and the full update agree exactly.
 */

const ROWS = 6;
const WIDTH = 3;
const initialTable = Array.from({ length: ROWS * WIDTH }, (_, k) => Math.fround(Math.sin(k + 1)));

/** Each step looks up four rows (some twice) and weighs each looked-up value by a coefficient. */
const lookups = [
  { ids: [1, 3, 3, 0], coefficients: [0.5, -1, 2, 0.25, 1.5, -0.5, 0.75, 1, -2, 0.1, 0.2, 0.3] },
  { ids: [3, 5, 5, 5], coefficients: [-0.4, 0.6, 1.1, 2, -1, 0.5, 0.25, 0.25, -0.75, 1, 1, 1] },
  { ids: [0, 1, 2, 1], coefficients: [1, -1, 0.5, -0.3, 0.9, 1.2, 0.6, -0.6, 0.2, 0.4, 0.1, -0.9] },
];

/** Rows of the loss `sum(gather(table, ids) * coefficients)`'s gradient: the coefficients summed per id. */
function gradientRows(step: (typeof lookups)[number]): Map<number, number[]> {
  const rows = new Map<number, number[]>();
  step.ids.forEach((id, k) => {
    const row = rows.get(id) ?? new Array<number>(WIDTH).fill(0);
    for (let j = 0; j < WIDTH; j++) row[j] += step.coefficients[k * WIDTH + j];
    rows.set(id, row);
  });
  for (const row of rows.values()) row.forEach((value, j) => (row[j] = Math.fround(value)));
  return rows;
}

/** Applies `optimizer` to the table for every lookup; returns the table and the optimizer's slots. */
function train(optimizer: Optimizer, engine = new Engine(tsBackend())) {
  const table = new Variable('embedding/embeddings', engine.tensor(initialTable, [ROWS, WIDTH]));
  for (const step of lookups) {
    engine.tidy(() => {
      const ids = engine.tensor(step.ids, [step.ids.length], 'int32');
      const coefficients = engine.tensor(step.coefficients, [step.ids.length, WIDTH]);
      const { grads } = valueAndGradients(engine, () => ops.sum(ops.mul(ops.gather(table.value, ids), coefficients)), [table.value]);
      optimizer.apply(grads, [table]);
    });
  }
  return { table: Array.from(table.value.read()), slots: optimizer.getState().slots };
}

describe('sparseUpdates', () => {
  it('Adam updates the looked-up rows by the lazy Adam formulas and leaves the others, slots included, untouched', () => {
    const [lr, beta1, beta2, epsilon] = [0.1, 0.9, 0.999, 1e-7];
    const { table, slots } = train(new Adam({ learningRate: lr, beta1, beta2, epsilon, sparseUpdates: true }));

    const weights = [...initialTable];
    const m = new Array<number>(ROWS * WIDTH).fill(0);
    const v = new Array<number>(ROWS * WIDTH).fill(0);
    lookups.forEach((step, index) => {
      const t = index + 1;
      const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      for (const [row, gradient] of gradientRows(step)) {
        for (let j = 0; j < WIDTH; j++) {
          const k = row * WIDTH + j;
          m[k] += (gradient[j] - m[k]) * (1 - beta1);
          v[k] += (gradient[j] ** 2 - v[k]) * (1 - beta2);
          weights[k] -= (alpha * m[k]) / (Math.sqrt(v[k]) + epsilon);
        }
      }
    });

    weights.forEach((expected, k) => expect(Math.abs(table[k] - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected))));
    const momentum = slots.get('embedding/embeddings/momentum')!.values;
    m.forEach((expected, k) => expect(Math.abs(momentum[k] - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected))));
    // Row 4 is never looked up: its weights are the initial floats and its moments zero, exactly.
    for (let j = 0; j < WIDTH; j++) {
      expect(table[4 * WIDTH + j]).toBe(initialTable[4 * WIDTH + j]);
      expect(momentum[4 * WIDTH + j]).toBe(0);
    }
  });

  it('differs from the full Adam update, which decays every row', () => {
    const lazy = train(new Adam({ learningRate: 0.1, sparseUpdates: true })).table;
    const full = train(new Adam({ learningRate: 0.1 })).table;
    // Row 5 is used at step 2 only: full Adam keeps moving it at step 3 on its momentum.
    expect(lazy.slice(5 * WIDTH)).not.toEqual(full.slice(5 * WIDTH));
    // Row 4 is never used: both leave it alone (its moments stay 0).
    expect(lazy.slice(4 * WIDTH, 5 * WIDTH)).toEqual(full.slice(4 * WIDTH, 5 * WIDTH));
  });

  it.each([
    ['SGD', (sparseUpdates: boolean) => new SGD({ learningRate: 0.1, sparseUpdates })],
    ['Adagrad', (sparseUpdates: boolean) => new Adagrad({ learningRate: 0.1, sparseUpdates })],
  ])('%s gives the same numbers as the full update (a zero gradient row changes nothing)', (_, make) => {
    const lazy = train(make(true));
    const full = train(make(false));
    expect(lazy.table).toEqual(full.table);
    for (const [name, data] of full.slots) expect(Array.from(lazy.slots.get(name)!.values)).toEqual(Array.from(data.values));
  });

  it('updates weights that are not embedding tables in full', () => {
    const engine = new Engine(tsBackend());
    const run = (sparseUpdates: boolean) => {
      const weight = new Variable('dense/kernel', engine.tensor([0.5, -1, 0, 2], [2, 2]));
      const optimizer = new RMSprop({ learningRate: 0.05, momentum: 0.5, sparseUpdates });
      for (let step = 0; step < 3; step++) {
        engine.tidy(() => {
          const { grads } = valueAndGradients(engine, () => ops.sum(ops.square(weight.value)), [weight.value]);
          expect(ops.nonzeroRows(grads[0])).toBeUndefined();
          optimizer.apply(grads, [weight]);
        });
      }
      return Array.from(weight.value.read());
    };
    expect(run(true)).toEqual(run(false));
  });

  it('is part of the config, and a non-boolean is refused', () => {
    const adam = new Adam({ sparseUpdates: true });
    expect(adam.config().options.sparseUpdates).toBe(true);
    expect(resolveOptimizer(adam.config()).sparseUpdates).toBe(true);
    expect(new Adam().config().options).not.toHaveProperty('sparseUpdates');
    expect(() => new SGD({ sparseUpdates: 'yes' as never })).toThrow(/'sparseUpdates' must be true or false/);
  });

  it('trains an Embedding -> LSTM -> Dense classifier', async () => {
    // Label: whether token 1 occurs in the sequence. Chance is 50%.
    const vocabulary = 50;
    const [samples, steps] = [256, 6];
    const ids = new Int32Array(samples * steps);
    const labels = new Float32Array(samples);
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let n = 0; n < samples; n++) {
      const positive = n % 2 === 0;
      for (let t = 0; t < steps; t++) ids[n * steps + t] = 2 + Math.floor(next() * (vocabulary - 2));
      if (positive) ids[n * steps + Math.floor(next() * steps)] = 1;
      labels[n] = positive ? 1 : 0;
    }
    const model = new Sequential([
      new Embedding({ inputDim: vocabulary, outputDim: 8, inputShape: [steps] }),
      new LSTM({ units: 8 }),
      new Dense({ units: 1, activation: 'sigmoid' }),
    ]).compile({ optimizer: new Adam({ learningRate: 0.02, sparseUpdates: true }), loss: 'binary_crossentropy', metrics: ['accuracy'], backend: tsBackend(), seed: 7 });
    const x = { values: ids, shape: [samples, steps] };
    const y = { values: labels, shape: [samples, 1] };
    await model.fit(x, y, { epochs: 30, batchSize: 32 });
    expect(model.evaluate(x, y).accuracy).toBeGreaterThan(0.95);
  });
});

describe('scatterUpdate', () => {
  const engine = new Engine(tsBackend());
  const table = engine.tensor([1, 2, 3, 4, 5, 6], [3, 2]);

  it('refuses a repeated row, a wrong update shape and an out-of-range row by name', () => {
    const rows = (values: number[]) => engine.tensor(values, [values.length], 'int32');
    expect(() => ops.scatterUpdate(table, rows([1, 1]), engine.zeros([2, 2]))).toThrow(ValueError);
    expect(() => ops.scatterUpdate(table, rows([1, 1]), engine.zeros([2, 2]))).toThrow(/repeat a row/);
    expect(() => ops.scatterUpdate(table, rows([0, 2]), engine.zeros([2, 3]))).toThrow(ShapeError);
    expect(() => ops.scatterUpdate(table, rows([3]), engine.zeros([1, 2]))).toThrow(/index 3 .* outside \[0, 2\]/);
  });
});
