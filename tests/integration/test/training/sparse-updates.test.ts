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
 * values are the lazy update rules (PyTorch's SparseAdam, TF Addons' LazyAdam; Keras's RMSprop
 * on the looked-up rows) worked in float64 here, and two math facts: a zero gradient row leaves
 * a row and its accumulator unchanged under SGD and Adagrad, and when every row is looked up
 * the lazy step is the full step, so in both cases the two agree exactly.
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
      const { grads } = valueAndGradients(engine, () => ops.sum(ops.mul(ops.gather(table.value, ids), coefficients)), [
        table.value,
      ]);
      optimizer.apply(grads, [table]);
    });
  }
  return { table: Array.from(table.value.read()), slots: optimizer.getState().slots };
}

/** Expects every value within float32 rounding of its float64 expectation. */
function expectNear(got: ArrayLike<number>, expected: readonly number[]): void {
  expect(got.length).toBe(expected.length);
  expected.forEach((value, k) =>
    expect(Math.abs(got[k] - value)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(value))),
  );
}

/**
 * Runs a lazy rule in float64 over the lookups: `step(t, k, g, state)` updates element k's
 * state (its weight `w` and slots) from its gradient g at update t, for the looked-up rows only.
 */
function lazyReference(
  slots: readonly string[],
  step: (t: number, k: number, g: number, state: Record<string, number[]>) => void,
) {
  const state: Record<string, number[]> = { w: [...initialTable] };
  for (const name of slots) state[name] = new Array<number>(ROWS * WIDTH).fill(0);
  lookups.forEach((lookup, index) => {
    for (const [row, gradient] of gradientRows(lookup)) {
      for (let j = 0; j < WIDTH; j++) step(index + 1, row * WIDTH + j, gradient[j], state);
    }
  });
  return state;
}

describe('sparseUpdates', () => {
  // backend-ts updates the rows in its fused adamStepRows; without it core gathers the rows,
  // runs adamStep on them and writes them back.
  const adamBackends = [
    ['the fused adamStepRows', () => tsBackend()],
    ['gathered rows', () => ({ ...tsBackend(), adamStepRows: undefined })],
  ] as const;
  it.each(adamBackends.flatMap(([path, backend]) => [false, true].map((amsgrad) => [amsgrad, path, backend] as const)))(
    'Adam (amsgrad %s, %s) updates the looked-up rows by the lazy Adam formulas, slots included',
    (amsgrad, _, backend) => {
      const [lr, beta1, beta2, epsilon] = [0.1, 0.9, 0.999, 1e-7];
      const { table, slots } = train(
        new Adam({ learningRate: lr, beta1, beta2, epsilon, amsgrad, sparseUpdates: true }),
        new Engine(backend()),
      );
      const expected = lazyReference(['m', 'v', 'vHat'], (t, k, g, { w, m, v, vHat }) => {
        const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        m[k] += (g - m[k]) * (1 - beta1);
        v[k] += (g ** 2 - v[k]) * (1 - beta2);
        vHat[k] = Math.max(vHat[k], v[k]);
        w[k] -= (alpha * m[k]) / (Math.sqrt(amsgrad ? vHat[k] : v[k]) + epsilon);
      });
      expectNear(table, expected.w);
      expectNear(slots.get('embedding/embeddings/momentum')!.values, expected.m);
      expectNear(slots.get('embedding/embeddings/velocity')!.values, expected.v);
      if (amsgrad) expectNear(slots.get('embedding/embeddings/velocity_hat')!.values, expected.vHat);
      // Row 4 is never looked up: its weights are the initial floats, exactly.
      expect(table.slice(4 * WIDTH, 5 * WIDTH)).toEqual(initialTable.slice(4 * WIDTH, 5 * WIDTH));
    },
  );

  it('RMSprop (centered, with momentum) updates the looked-up rows by its lazy formulas', () => {
    const [lr, rho, momentum, epsilon] = [0.05, 0.9, 0.5, 1e-7];
    const { table, slots } = train(
      new RMSprop({ learningRate: lr, rho, momentum, epsilon, centered: true, sparseUpdates: true }),
    );
    const expected = lazyReference(['velocity', 'average', 'momentum'], (_, k, g, state) => {
      state.velocity[k] = rho * state.velocity[k] + (1 - rho) * g ** 2;
      state.average[k] = rho * state.average[k] + (1 - rho) * g;
      const increment = (lr * g) / Math.sqrt(state.velocity[k] - state.average[k] ** 2 + epsilon);
      state.momentum[k] = momentum * state.momentum[k] + increment;
      state.w[k] -= state.momentum[k];
    });
    expectNear(table, expected.w);
    expectNear(slots.get('embedding/embeddings/momentum')!.values, expected.momentum);
  });

  it.each([
    ['Adam with AMSGrad', (sparseUpdates: boolean) => new Adam({ learningRate: 0.1, amsgrad: true, sparseUpdates })],
    [
      'RMSprop, centered, with momentum',
      (sparseUpdates: boolean) => new RMSprop({ learningRate: 0.05, momentum: 0.5, centered: true, sparseUpdates }),
    ],
    [
      'SGD with Nesterov momentum',
      (sparseUpdates: boolean) => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true, sparseUpdates }),
    ],
  ])('%s: when every row is looked up, the lazy step is the full step, bit for bit', (_, make) => {
    const engine = new Engine(tsBackend());
    const run = (sparseUpdates: boolean) => {
      const table = new Variable('embedding/embeddings', engine.tensor(initialTable, [ROWS, WIDTH]));
      const optimizer = make(sparseUpdates);
      for (let step = 0; step < 3; step++) {
        engine.tidy(() => {
          const ids = engine.tensor([5, 0, 3, 1, 4, 2, 0], [7], 'int32');
          const { grads } = valueAndGradients(engine, () => ops.sum(ops.square(ops.gather(table.value, ids))), [
            table.value,
          ]);
          optimizer.apply(grads, [table]);
        });
      }
      return {
        table: Array.from(table.value.read()),
        slots: [...optimizer.getState().slots.values()].map((slot) => Array.from(slot.values)),
      };
    };
    expect(run(true)).toEqual(run(false));
  });

  it('resumes exactly from getState / setState between lazy steps', () => {
    const options = { learningRate: 0.1, sparseUpdates: true };
    const straight = train(new Adam(options));
    const engine = new Engine(tsBackend());
    const first = new Adam(options);
    const table = new Variable('embedding/embeddings', engine.tensor(initialTable, [ROWS, WIDTH]));
    const stepOn = (optimizer: Adam, lookup: (typeof lookups)[number]) =>
      engine.tidy(() => {
        const ids = engine.tensor(lookup.ids, [lookup.ids.length], 'int32');
        const coefficients = engine.tensor(lookup.coefficients, [lookup.ids.length, WIDTH]);
        const { grads } = valueAndGradients(
          engine,
          () => ops.sum(ops.mul(ops.gather(table.value, ids), coefficients)),
          [table.value],
        );
        optimizer.apply(grads, [table]);
      });
    stepOn(first, lookups[0]);
    const resumed = new Adam(options);
    resumed.setState(first.getState());
    stepOn(resumed, lookups[1]);
    stepOn(resumed, lookups[2]);
    expect(Array.from(table.value.read())).toEqual(straight.table);
  });

  it.each([
    ['globalClipNorm, a gradient that is not finite', { globalClipNorm: 1 }, Infinity],
    ['clipNorm, a gradient with a NaN', { clipNorm: 1 }, NaN],
  ])('under %s makes every row NaN, as the full update does (Keras)', (_, clipping, bad) => {
    const engine = new Engine(tsBackend());
    const table = new Variable('embedding/embeddings', engine.tensor(initialTable, [ROWS, WIDTH]));
    const optimizer = new SGD({ learningRate: 0.1, sparseUpdates: true, ...clipping });
    const step = (weights: number[]) =>
      engine.tidy(() => {
        const ids = engine.tensor([1, 3], [2], 'int32');
        const { grads } = valueAndGradients(
          engine,
          () => ops.sum(ops.mul(ops.gather(table.value, ids), engine.tensor(weights, [2, WIDTH]))),
          [table.value],
        );
        optimizer.apply(grads, [table]);
      });
    step([1, 2, 3, 4, 5, 6]);
    // A finite step is lazy, and the optimizer says which rows it changed.
    expect(Array.from(optimizer.lazilyUpdatedRows.get(table) ?? [])).toEqual([1, 3]);
    step([bad, 1, 1, 1, 1, 1]);
    expect(Array.from(table.value.read()).every(Number.isNaN)).toBe(true);
    // That step was taken whole, so data-parallel workers get the whole table.
    expect(optimizer.lazilyUpdatedRows.size).toBe(0);
  });

  it.each([
    ['SGD', (sparseUpdates: boolean) => new SGD({ learningRate: 0.1, sparseUpdates })],
    ['Adagrad', (sparseUpdates: boolean) => new Adagrad({ learningRate: 0.1, sparseUpdates })],
  ])('%s gives the same numbers as the full update (a zero gradient row changes nothing)', (_, make) => {
    const lazy = train(make(true));
    const full = train(make(false));
    expect(lazy.table).toEqual(full.table);
    for (const [name, data] of full.slots)
      expect(Array.from(lazy.slots.get(name)!.values)).toEqual(Array.from(data.values));
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
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
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
    ]).compile({
      optimizer: new Adam({ learningRate: 0.02, sparseUpdates: true }),
      loss: 'binary_crossentropy',
      metrics: ['accuracy'],
      backend: tsBackend(),
      seed: 7,
    });
    const x = { values: ids, shape: [samples, steps] };
    const y = { values: labels, shape: [samples, 1] };
    await model.fit(x, y, { epochs: 30, batchSize: 32 });
    expect(model.evaluate(x, y).accuracy).toBeGreaterThan(0.95);
  });
});

describe('scatterUpdate', () => {
  const engine = new Engine(tsBackend());
  const table = engine.tensor([1, 2, 3, 4, 5, 6], [3, 2]);

  it('refuses a repeated row, a wrong update shape, an out-of-range row and an int32 table by name', () => {
    const rows = (values: number[]) => engine.tensor(values, [values.length], 'int32');
    expect(() => ops.scatterUpdate(table, rows([1, 1]), engine.zeros([2, 2]))).toThrow(ValueError);
    expect(() => ops.scatterUpdate(table, rows([1, 1]), engine.zeros([2, 2]))).toThrow(/repeat a row/);
    expect(() => ops.scatterUpdate(table, rows([0, 2]), engine.zeros([2, 3]))).toThrow(ShapeError);
    expect(() => ops.scatterUpdate(table, rows([3]), engine.zeros([1, 2]))).toThrow(/index 3 .* outside \[0, 2\]/);
    const ids = engine.tensor([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    expect(() => ops.scatterUpdate(ids, rows([0]), engine.tensor([0.5, 7.9], [1, 2]))).toThrow(
      /must be float32, got int32 and float32/,
    );
  });
});

describe('donating a table (Variable.assignRows)', () => {
  const engine = new Engine(tsBackend());
  const rows = (values: number[]) => engine.tensor(values, [values.length], 'int32');

  it('gives the rows written over the old value and disposes the old value', () => {
    const table = new Variable('table', engine.tensor([1, 2, 3, 4, 5, 6], [3, 2]));
    const old = table.value;
    table.assignRows(rows([2, 0]), engine.tensor([-5, -6, -1, -2], [2, 2]));
    expect(Array.from(table.value.read())).toEqual([-1, -2, 3, 4, -5, -6]);
    expect(() => old.read()).toThrow(/used after it was disposed/);
  });

  it('leaves a reshape of the old value with the old values', () => {
    const table = new Variable('table', engine.tensor([1, 2, 3, 4, 5, 6], [3, 2]));
    const flat = engine.keep(ops.reshape(table.value, [6]));
    table.assignRows(rows([1]), engine.tensor([9, 9], [1, 2]));
    expect(Array.from(flat.read())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(table.value.read())).toEqual([1, 2, 9, 9, 5, 6]);
  });

  it('runs the next LSTM pass on the new rows, whatever the backend kept packed of the old ones', () => {
    // The fused LSTM keeps its recurrent kernel packed across time steps and calls; the oracle is
    // a second model holding the same values in storage of its own.
    const build = () => {
      const model = new Sequential([new LSTM({ units: 4, returnSequences: true, inputShape: [6, 2] })]);
      model.build({ backend: tsBackend(), seed: 3 });
      return model;
    };
    const model = build();
    const x = { values: Float32Array.from({ length: 4 * 6 * 2 }, (_, k) => Math.sin(k)), shape: [4, 6, 2] };
    model.predict(x);
    const recurrent = model.weights.find((weight) => weight.name.endsWith('recurrent_kernel'))!;
    // Twice: an initial value may share its storage (a reshape), which the first update then copies.
    for (const row of [1, 3]) {
      recurrent.assignRows(
        model.engine.tensor([row], [1], 'int32'),
        model.engine.tensor(
          Array.from({ length: 16 }, (_, k) => Math.cos(k + row)),
          [1, 16],
        ),
      );
      model.predict(x);
    }
    const fresh = build();
    fresh.setWeights(model.getWeights());
    expect(Array.from(model.predict(x).values)).toEqual(Array.from(fresh.predict(x).values));
  });

  it('copies instead while gradients are recorded, and the op refuses to donate there', () => {
    const table = new Variable('table', engine.tensor([1, 2, 3, 4], [2, 2]));
    valueAndGradients(engine, () => {
      expect(() => ops.scatterUpdate(table.value, rows([0]), engine.zeros([1, 2]), { donateTable: true })).toThrow(
        /update outside the gradient function/,
      );
      table.assignRows(rows([0]), engine.zeros([1, 2]));
      return ops.sum(table.value);
    }, []);
    expect(Array.from(table.value.read())).toEqual([0, 0, 3, 4]);
  });
});
