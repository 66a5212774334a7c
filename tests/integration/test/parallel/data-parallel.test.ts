import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  Dense,
  Dropout,
  Embedding,
  LSTM,
  SGD,
  Sequential,
  TimeDistributed,
  ValueError,
  meanSquaredError,
  type Loss,
} from '@recur/core';
import { DataParallelTrainer, fitDataParallel, type DataParallelOptions } from '@recur/core/parallel';
import { tsBackend } from '@recur/backend-ts';

/**
 * Data-parallel training over worker threads. The workers run the workspace's TypeScript
 * sources (through the loader in this folder), the same code as this test's main thread.
 */
const LOADER = fileURLToPath(new URL('./typescript-source-loader.mjs', import.meta.url));
const EXEC_ARGV = ['--import', LOADER];
const TS_BACKEND = { module: import.meta.resolve('@recur/backend-ts'), factory: 'tsBackend' };
const TEST_BACKENDS = new URL('./test-backends.ts', import.meta.url).href;

function parallel(threads: number, shards: number, backend = TS_BACKEND): DataParallelOptions {
  return { threads, shards, backend, execArgv: EXEC_ARGV };
}

/** Padded id sequences -> per-step classes, with dropout: masks, seeds and uneven padding all matter. */
function taggerModel(): Sequential {
  const model = new Sequential([
    new Embedding({ inputDim: 9, outputDim: 4, maskZero: true, inputShape: [5] }),
    new LSTM({ units: 6, returnSequences: true }),
    new Dropout({ rate: 0.3 }),
    new TimeDistributed({ layer: new Dense({ units: 3, activation: 'softmax' }) }),
  ]);
  return model.compile({
    optimizer: new Adam({ learningRate: 0.02 }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
    backend: tsBackend(),
    seed: 11,
  });
}
// 14 sequences of 1 to 5 real steps, zero-padded at the end.
const ids = Array.from({ length: 14 }, (_, n) =>
  Array.from({ length: 5 }, (_, t) => (t < 1 + ((n * 3) % 5) ? 1 + ((n + 2 * t) % 8) : 0)),
);
const tags = ids.map((row) => row.map((id) => id % 3));

function weightsOf(model: Sequential): Record<string, number[]> {
  return Object.fromEntries([...model.getWeights()].map(([name, data]) => [name, Array.from(data.values)]));
}

function slotsOf(model: Sequential): Record<string, number[]> {
  const state = model.trainingSetup!.optimizer.getState();
  return Object.fromEntries([...state.slots].map(([name, data]) => [name, Array.from(data.values)]));
}

describe('data-parallel training: the shard count, not the thread count, defines the numbers', () => {
  it('two threads give bit-identical weights, optimizer state and logs to one thread with the same shards', async () => {
    const runs = [];
    for (const threads of [1, 2]) {
      const model = taggerModel();
      const history = await fitDataParallel(model, ids, tags, {
        epochs: 3,
        batchSize: 6,
        dataParallel: parallel(threads, 2),
      });
      runs.push({
        weights: weightsOf(model),
        slots: slotsOf(model),
        history: history.history,
        steps: model.trainingSetup!.optimizer.iterations,
      });
    }
    const [one, two] = runs;
    // 14 samples in batches of 6: 3 steps per epoch, the last batch of 2 split 1 + 1.
    expect(two.steps).toBe(9);
    expect(two.weights).toEqual(one.weights);
    expect(two.slots).toEqual(one.slots);
    expect(two.history).toEqual(one.history);
    expect(two.weights['lstm/kernel']).not.toEqual(weightsOf(taggerModel())['lstm/kernel']);
  });

  it('another shard count draws other dropout masks, so it trains to other weights', async () => {
    const [two, three] = [taggerModel(), taggerModel()];
    await fitDataParallel(two, ids, tags, { epochs: 1, batchSize: 6, dataParallel: parallel(1, 2) });
    await fitDataParallel(three, ids, tags, { epochs: 1, batchSize: 6, dataParallel: parallel(1, 3) });
    expect(weightsOf(three)['lstm/kernel']).not.toEqual(weightsOf(two)['lstm/kernel']);
  });

  it('one shard on one thread is core fit exactly, when nothing random happens in the step', async () => {
    // Without shuffling: a data-parallel step draws one seed per shard from the model's generator,
    // so with shuffling the later epochs' orders would differ from plain fit's.
    const make = () =>
      new Sequential([new LSTM({ units: 5, inputShape: [4, 2] }), new Dense({ units: 2 })]).compile({
        optimizer: 'rmsprop',
        loss: 'mse',
        backend: tsBackend(),
        seed: 3,
      });
    const x = Array.from({ length: 10 }, (_, n) =>
      Array.from({ length: 4 }, (_, t) => [Math.sin(n + t), Math.cos(n - t)]),
    );
    const y = x.map((_, n) => [n / 10, 1 - n / 10]);
    const [plain, sharded] = [make(), make()];
    const plainHistory = await plain.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false });
    const shardedHistory = await fitDataParallel(sharded, x, y, {
      epochs: 2,
      batchSize: 4,
      shuffle: false,
      dataParallel: parallel(1, 1),
    });
    expect(weightsOf(sharded)).toEqual(weightsOf(plain));
    expect(shardedHistory.history.loss).toEqual(plainHistory.history.loss);
  });
});

describe('data-parallel training with sparseUpdates', () => {
  // No dropout: one shard on one thread must then be plain fit, lazy embedding updates included.
  const make = () =>
    new Sequential([
      new Embedding({ inputDim: 40, outputDim: 4, inputShape: [5] }),
      new LSTM({ units: 6 }),
      new Dense({ units: 3, activation: 'softmax' }),
    ]).compile({
      optimizer: new Adam({ learningRate: 0.02, sparseUpdates: true }),
      loss: 'sparse_categorical_crossentropy',
      backend: tsBackend(),
      seed: 5,
    });
  // Ids spread over a vocabulary of 40, so every batch leaves most rows untouched.
  const x = Array.from({ length: 12 }, (_, n) => Array.from({ length: 5 }, (_, t) => (n * 7 + t * 13) % 40));
  const y = x.map((row) => [row[0] % 3]);

  it('one shard on one thread takes the same lazy steps as plain fit', async () => {
    const [plain, sharded] = [make(), make()];
    await plain.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false });
    await fitDataParallel(sharded, x, y, { epochs: 2, batchSize: 4, shuffle: false, dataParallel: parallel(1, 1) });
    expect(weightsOf(sharded)).toEqual(weightsOf(plain));
    expect(slotsOf(sharded)).toEqual(slotsOf(plain));
    // Some embedding rows were never looked up: lazy Adam left their moments at zero.
    const momentum = slotsOf(plain)['embedding/embeddings/momentum'];
    expect(momentum.filter((value) => value === 0).length).toBeGreaterThan(0);
  });

  it('two threads give the same numbers as one thread with the same shards', async () => {
    const runs = [];
    for (const threads of [1, 2]) {
      const model = make();
      await fitDataParallel(model, x, y, { epochs: 2, batchSize: 6, dataParallel: parallel(threads, 2) });
      runs.push({ weights: weightsOf(model), slots: slotsOf(model) });
    }
    expect(runs[1]).toEqual(runs[0]);
  });

  it('weights set on the main thread between steps reach the workers', async () => {
    // Workers are sent only the rows a lazy step changed; a weight assigned in between must go whole.
    const runs = [];
    for (const threads of [1, 2]) {
      const model = make();
      const trainer = await DataParallelTrainer.start(model, parallel(threads, 2));
      await trainer.trainOnBatch(x.slice(0, 6), y.slice(0, 6));
      model.setWeights({
        'embedding/embeddings': { shape: [40, 4], values: Float32Array.from({ length: 160 }, (_, k) => Math.cos(k)) },
      });
      await trainer.trainOnBatch(x.slice(6), y.slice(6));
      await trainer.close();
      runs.push(weightsOf(model));
    }
    expect(runs[1]).toEqual(runs[0]);
  });
});

describe('data-parallel training computes the batch-mean gradient', () => {
  it('uneven shards weigh by their samples: one SGD step on y = 2x lands where the full-batch gradient says', async () => {
    // w starts at 0; the batch gradient of mean((w x - y)^2) is -2 mean(x y) = -4 mean(x^2) = -44
    // for x = 1..5, so w = 0.01 * 44 = 0.44. Shards {1, 2} and {3, 4, 5} averaged without
    // weights would give 0.01 * (10 + 66.67) / 2 = 0.383.
    const model = new Sequential([
      new Dense({ units: 1, useBias: false, kernelInitializer: 'zeros', inputShape: [1] }),
    ]);
    model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse', backend: tsBackend() });
    const trainer = await DataParallelTrainer.start(model, parallel(2, 2));
    try {
      const loss = await trainer.trainOnBatch([[1], [2], [3], [4], [5]], [[2], [4], [6], [8], [10]]);
      // At w = 0 the loss is mean(y^2) = 4 * 11 = 44.
      expect(loss).toBeCloseTo(44, 5);
      expect(model.getWeights().get('dense/kernel')!.values[0]).toBeCloseTo(0.44, 6);
    } finally {
      await trainer.close();
    }
  });

  it('a masked sequence loss over shards is the mean over every real step of the batch, as in one piece', async () => {
    const make = () =>
      new Sequential([
        new Embedding({ inputDim: 9, outputDim: 4, maskZero: true, inputShape: [5] }),
        new LSTM({ units: 6, returnSequences: true }),
        new TimeDistributed({ layer: new Dense({ units: 3, activation: 'softmax' }) }),
      ]).compile({
        optimizer: new SGD({ learningRate: 0.5 }),
        loss: 'sparse_categorical_crossentropy',
        backend: tsBackend(),
        seed: 5,
      });
    // Shard 0 (rows 0-1) has 2 real steps, shard 1 (rows 2-3) has 9: per-shard means averaged
    // equally would weigh shard 0's steps 4.5 times too much.
    const x = [
      [1, 0, 0, 0, 0],
      [2, 0, 0, 0, 0],
      [3, 4, 5, 6, 0],
      [7, 8, 1, 2, 3],
    ];
    const y = [
      [1, 0, 0, 0, 0],
      [2, 0, 0, 0, 0],
      [0, 1, 2, 0, 0],
      [1, 2, 0, 1, 2],
    ];
    const [whole, sharded] = [make(), make()];
    const expectedLoss = whole.evaluate(x, y).loss;
    // Equal weights for the shards' own means would be another number entirely.
    const unweighted =
      (whole.evaluate(x.slice(0, 2), y.slice(0, 2)).loss + whole.evaluate(x.slice(2), y.slice(2)).loss) / 2;
    expect(Math.abs(unweighted - expectedLoss)).toBeGreaterThan(1e-3);
    const trainer = await DataParallelTrainer.start(sharded, parallel(2, 2));
    let loss: number;
    try {
      loss = await trainer.trainOnBatch(x, y);
    } finally {
      await trainer.close();
    }
    whole.trainOnBatch(x, y);
    expect(loss).toBeCloseTo(expectedLoss, 6);
    const shardedWeights = sharded.getWeights();
    for (const [name, data] of whole.getWeights()) {
      const got = shardedWeights.get(name)!.values;
      data.values.forEach((value, k) =>
        expect(Math.abs(got[k] - value)).toBeLessThanOrEqual(1e-6 * Math.abs(value) + 1e-7),
      );
    }
    // The step moved the weights far more than that tolerance.
    const before = make().getWeights().get('lstm/kernel')!.values;
    const moved = Math.max(...shardedWeights.get('lstm/kernel')!.values.map((value, k) => Math.abs(value - before[k])));
    expect(moved).toBeGreaterThan(1e-4);
  });
});

describe('data-parallel training reports problems clearly', () => {
  const dense = () =>
    new Sequential([new Dense({ units: 2, inputShape: [3] })]).compile({
      optimizer: 'sgd',
      loss: 'mse',
      backend: tsBackend(),
      seed: 2,
    });
  const x = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
    [1, 0, 1],
  ];
  const y = [
    [1, 0],
    [0, 1],
    [1, 1],
    [0, 0],
  ];

  it('an error inside a worker rejects the step, naming the worker and the cause, and closes the trainer', async () => {
    const trainer = await DataParallelTrainer.start(
      dense(),
      parallel(2, 2, { module: TEST_BACKENDS, factory: 'failingMatmulBackend' }),
    );
    await expect(trainer.fit(x, y, { epochs: 1, batchSize: 4 })).rejects.toThrow(
      /Data-parallel worker 1 failed: .*injected matmul failure/,
    );
    await expect(trainer.trainOnBatch(x, y)).rejects.toThrow(/after close\(\)/);
  });

  it("a backend module without the factory, or a worker backend unlike the model's, fails at start", async () => {
    await expect(
      DataParallelTrainer.start(dense(), parallel(2, 2, { module: TS_BACKEND.module, factory: 'nope' })),
    ).rejects.toThrow(
      /worker 1 failed: the backend module '.*' has no exported function 'nope' \(it exports: .*tsBackend/,
    );
    await expect(
      DataParallelTrainer.start(dense(), parallel(2, 2, { module: TEST_BACKENDS, factory: 'renamedBackend' })),
    ).rejects.toThrow(/is 'ts-renamed', but the model is built on 'ts'/);
    await expect(
      DataParallelTrainer.start(dense(), parallel(2, 2, { module: 'no-such-backend-package', factory: 'tsBackend' })),
    ).rejects.toThrow(/cannot import the backend module 'no-such-backend-package'.*import\.meta\.resolve/);
  });

  it('options that cannot work are refused before any thread starts', async () => {
    await expect(DataParallelTrainer.start(dense(), { threads: 2 })).rejects.toThrow(
      /'backend' must say how a worker creates/,
    );
    await expect(DataParallelTrainer.start(dense(), parallel(2, 1))).rejects.toThrow(
      /shards \(1\) is less than threads \(2\)/,
    );
    await expect(
      DataParallelTrainer.start(dense(), { ...parallel(2, 2), workers: 2 } as DataParallelOptions),
    ).rejects.toThrow(ValueError);
    const customLoss: Loss = { ...meanSquaredError };
    const custom = new Sequential([new Dense({ units: 2, inputShape: [3] })]).compile({
      optimizer: 'sgd',
      loss: customLoss,
      backend: tsBackend(),
    });
    await expect(DataParallelTrainer.start(custom, parallel(2, 2))).rejects.toThrow(/custom Loss object/);
    const uncompiled = new Sequential([new Dense({ units: 2, inputShape: [3] })]);
    await expect(DataParallelTrainer.start(uncompiled, parallel(1, 1))).rejects.toThrow(/not compiled/);
  });
});

describe('no worker thread outlives training', () => {
  function runChild(mode: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const script = fileURLToPath(new URL('./train-and-exit.ts', import.meta.url));
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', LOADER, script, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('a process that trained with fitDataParallel exits by itself when its script ends', async () => {
    const { code, stdout, stderr } = await runChild('fit');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('trained (fit)');
  });

  it('so does one whose trainer was never closed: idle workers hold no reference on the process', async () => {
    const { code, stdout, stderr } = await runChild('forgotten');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('trained (forgotten)');
  });
});
