import { Dense, LSTM, RandomGenerator, RMSprop, Adam, Sequential, type Tensor } from '@recur/core';
import { bench, describe } from 'vitest';
import { tsBackend } from '../src/index.js';

/**
 * The workloads of ../shared/bench/workloads.md on backend-ts alone, for tuning its kernels
 * between runs of the cross-system harness (tools/bench), which is the place for comparisons.
 * Each bench is one call: samples/s = hz * batch (charlm 128, timeseries 32); the stream bench
 * is 50 consecutive steps, so us/step = mean ms * 20.
 *
 * Run from packages/backend-ts: `npx vitest bench --run --config bench/vitest.config.ts`.
 * Other processes on the machine move these numbers; compare runs made back to back.
 */

const OPTIONS = { time: 0, iterations: 8, warmupIterations: 2, warmupTime: 0 };

function uniforms(count: number, seed: number): Float32Array {
  const random = new RandomGenerator(seed);
  return Float32Array.from({ length: count }, () => 2 * random.uniform() - 1);
}

function oneHotBatch(rows: number, depth: number, seed: number): Float32Array {
  const random = new RandomGenerator(seed);
  const values = new Float32Array(rows * depth);
  for (let r = 0; r < rows; r++) values[r * depth + random.integer(depth)] = 1;
  return values;
}

describe('charlm: one-hot [128, 40, 64] -> LSTM(128) -> Dense(64) softmax', () => {
  const model = new Sequential([
    new LSTM({ units: 128, inputShape: [40, 64] }),
    new Dense({ units: 64, activation: 'softmax' }),
  ]).compile({
    optimizer: new RMSprop({ learningRate: 0.01, rho: 0.9, epsilon: 1e-7 }),
    loss: 'categorical_crossentropy',
    backend: tsBackend(),
  });
  const xValues = oneHotBatch(128 * 40, 64, 1);
  const x = model.engine.keep(model.engine.tensor(xValues, [128, 40, 64]));
  const y = model.engine.keep(model.engine.tensor(oneHotBatch(128, 64, 2), [128, 64]));
  bench('train step (128 samples)', () => void model.trainOnBatch(x, y), OPTIONS);
  bench(
    'infer (128 samples)',
    () => void model.predict({ shape: [128, 40, 64], values: xValues }, { batchSize: 128 }),
    OPTIONS,
  );
});

describe('timeseries: [32, 50, 1] -> LSTM(50) -> Dense(1)', () => {
  const model = new Sequential([new LSTM({ units: 50, inputShape: [50, 1] }), new Dense({ units: 1 })]).compile({
    optimizer: new Adam({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
    loss: 'mean_squared_error',
    backend: tsBackend(),
  });
  const x = model.engine.keep(model.engine.tensor(uniforms(32 * 50, 3), [32, 50, 1]));
  const y = model.engine.keep(model.engine.tensor(uniforms(32, 4), [32, 1]));
  bench('train step (32 samples)', () => void model.trainOnBatch(x, y), {
    ...OPTIONS,
    iterations: 40,
    warmupIterations: 5,
  });
});

describe('stream: x_t (64) -> LSTM(256) -> LSTM(256), batch 1, state carried', () => {
  const model = new Sequential([
    new LSTM({ units: 256, returnSequences: true, inputShape: [null, 64] }),
    new LSTM({ units: 256 }),
  ]).build({
    backend: tsBackend(),
  });
  const engine = model.engine;
  const layers = model.layers as LSTM[];
  const inputs = uniforms(1000 * 64, 5);
  let states: Tensor[][] | null = null;
  let k = 0;
  const step = (): Float32Array => {
    const next = engine.tidy(() => {
      let value = engine.tensor(inputs.subarray(k * 64, k * 64 + 64), [1, 1, 64]);
      return layers.map((layer, index) => {
        const result = layer.run(value, { initialState: states?.[index] });
        value = result.output;
        return result.states;
      });
    });
    k = (k + 1) % 1000;
    const output = next[next.length - 1][0].read() as Float32Array;
    for (const tensors of states ?? []) for (const tensor of tensors) tensor.dispose();
    states = next;
    return output;
  };
  bench(
    '50 steps',
    () => {
      for (let count = 0; count < 50; count++) step();
    },
    { ...OPTIONS, iterations: 40, warmupIterations: 10 },
  );
});
