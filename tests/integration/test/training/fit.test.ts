import { describe, expect, it } from 'vitest';
import {
  Dense,
  Dropout,
  EarlyStopping,
  LambdaCallback,
  LSTM,
  ModelCheckpoint,
  SGD,
  Adam,
  Sequential,
  ShapeError,
  TerminateOnNaN,
  ValueError,
  type Logs,
  type TensorData,
} from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

/** Behaviour of fit, evaluate and the callbacks, told as the stories users live through. */

/** A one-weight regression `y = w x` that starts at w = 0, trained on y = 2x with plain SGD. */
function lineModel(learningRate = 0.01): Sequential {
  const model = new Sequential([new Dense({ units: 1, useBias: false, kernelInitializer: 'zeros', inputShape: [1] })]);
  model.compile({ optimizer: new SGD({ learningRate }), loss: 'mse', backend: tsBackend() });
  return model;
}
const xs = [[1], [2], [3], [4]];
const twice = [[2], [4], [6], [8]];
// Validation wants w = 1: while w climbs from 0 to 2, val_loss falls until w passes 1, then rises.
const once = [[1], [2], [3], [4]];

function weightOf(model: Sequential): number {
  return model.getWeights().get('dense/kernel')!.values[0];
}

/** A small sequence classifier with dropout, so seeds matter for init, shuffling and masks. */
function sequenceModel(seed: number): Sequential {
  const model = new Sequential([
    new LSTM({ units: 6, inputShape: [4, 2] }),
    new Dropout({ rate: 0.2 }),
    new Dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({
    optimizer: new Adam({ learningRate: 0.01 }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
    backend: tsBackend(),
    seed,
  });
  return model;
}
const sequences = Array.from({ length: 20 }, (_, n) =>
  Array.from({ length: 4 }, (_, t) => [Math.sin(n + t), Math.cos(n * t)]),
);
const sequenceLabels = sequences.map((_, n) => n % 3);

describe('fit', () => {
  it('early stopping restores the best weights', async () => {
    const model = lineModel();
    const weightsAtEpochEnd: number[] = [];
    const stopper = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    const history = await model.fit(xs, twice, {
      epochs: 50,
      batchSize: 4,
      validationData: [xs, once],
      callbacks: [new LambdaCallback({ onEpochEnd: () => void weightsAtEpochEnd.push(weightOf(model)) }), stopper],
    });
    const valLoss = history.history.val_loss;
    const best = valLoss.indexOf(Math.min(...valLoss));
    // Full-batch SGD gives w <- w - 0.15 (w - 2): 0.3, 0.555, 0.772, 0.956, 1.113, ...: epoch 3 is closest to 1.
    expect(best).toBe(3);
    // It stopped `patience` epochs after the best one, long before 50 epochs ...
    expect(history.epoch.length).toBe(best + 3);
    expect(stopper.stoppedEpoch).toBe(best + 2);
    // ... the weights had moved on (towards w = 2) ...
    expect(weightsAtEpochEnd[weightsAtEpochEnd.length - 1]).toBeGreaterThan(weightsAtEpochEnd[best]);
    // ... and the best epoch's weights were put back, the ones closest to w = 1.
    expect(weightOf(model)).toBe(weightsAtEpochEnd[best]);
    expect(Math.abs(weightOf(model) - 1)).toBeLessThan(Math.abs(weightsAtEpochEnd[best + 1] - 1));
  });

  it('checkpoint keeps the best', async () => {
    const model = lineModel();
    const saves: { path: string; weight: number }[] = [];
    const checkpoint = new ModelCheckpoint({
      filepath: 'runs/line-{epoch:02d}-{val_loss:.3f}',
      saveBestOnly: true,
      save: async (saved, path) => {
        await Promise.resolve();
        saves.push({ path, weight: weightOf(saved) });
      },
    });
    const weightsAtEpochEnd: number[] = [];
    const history = await model.fit(xs, twice, {
      epochs: 40,
      batchSize: 4,
      validationData: [xs, once],
      callbacks: [new LambdaCallback({ onEpochEnd: () => void weightsAtEpochEnd.push(weightOf(model)) }), checkpoint],
    });
    const valLoss = history.history.val_loss;
    const best = valLoss.indexOf(Math.min(...valLoss));
    expect(best).toBe(3);
    // A save at every new best (val_loss only falls until the best epoch), none afterwards.
    expect(saves.length).toBe(best + 1);
    expect(saves[saves.length - 1]).toEqual({
      path: `runs/line-${String(best + 1).padStart(2, '0')}-${valLoss[best].toFixed(3)}`,
      weight: weightsAtEpochEnd[best],
    });
    expect(checkpoint.best).toBe(valLoss[best]);
    expect(history.epoch.length).toBe(40);
  });

  it('TerminateOnNaN stops on a NaN loss', async () => {
    // A learning rate of 10 on y = 2x overshoots by a factor ~100 per step: the loss overflows float32.
    const model = lineModel(10);
    const batchLosses: number[] = [];
    const terminate = new TerminateOnNaN();
    const history = await model.fit(xs, twice, {
      epochs: 100,
      batchSize: 1,
      shuffle: false,
      callbacks: [new LambdaCallback({ onBatchEnd: (_batch, logs) => void batchLosses.push(logs.loss) }), terminate],
    });
    const firstBad = batchLosses.findIndex((loss) => !Number.isFinite(loss));
    expect(firstBad).toBeGreaterThan(0);
    expect(batchLosses.length).toBe(firstBad + 1);
    expect(history.epoch.length).toBe(Math.floor(firstBad / 4) + 1);
    expect(terminate.stoppedAtBatch).toBe(firstBad % 4);
  });

  it('same seed gives the same losses', async () => {
    const run = async (seed: number): Promise<number[]> =>
      (await sequenceModel(seed).fit(sequences, sequenceLabels, { epochs: 3, batchSize: 8 })).history.loss;
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
  });

  it('validationSplit takes the last fraction, before shuffling', async () => {
    const model = sequenceModel(3);
    const lastFive = { x: sequences.slice(15), y: sequenceLabels.slice(15) };
    const firstFive = { x: sequences.slice(0, 5), y: sequenceLabels.slice(0, 5) };
    let samples = 0;
    let validationSamples = 0;
    const checks: { logged: number; last: number; first: number }[] = [];
    const probe = new LambdaCallback({
      onTrainBegin: () => {
        samples = probe.params!.samples;
        validationSamples = probe.params!.validationSamples;
      },
      onEpochEnd: (_epoch, logs) => {
        checks.push({
          logged: logs.val_loss,
          last: model.evaluate(lastFive.x, lastFive.y).loss,
          first: model.evaluate(firstFive.x, firstFive.y).loss,
        });
      },
    });
    await model.fit(sequences, sequenceLabels, { epochs: 2, batchSize: 4, validationSplit: 0.25, callbacks: [probe] });
    expect([samples, validationSamples]).toEqual([15, 5]);
    for (const check of checks) {
      expect(check.logged).toBeCloseTo(check.last, 6);
      expect(check.logged).not.toBeCloseTo(check.first, 3);
    }
  });

  it('bad label shape names the loss and shapes', async () => {
    const model = sequenceModel(1);
    const oneHot = sequenceLabels.map((id) => [0, 1, 2].map((k) => (k === id ? 1 : 0)));
    await expect(model.fit(sequences, oneHot)).rejects.toThrow(
      "Loss 'sparse_categorical_crossentropy': y has shape [20, 3], but the model's output has shape [20, 3], so y should have shape [20] (one integer class id per row).",
    );
    await expect(model.fit(sequences, sequenceLabels.slice(0, 19))).rejects.toThrow(
      'x has 20 samples but y has 19 (shape [19])',
    );
    await expect(
      model.fit(
        sequences,
        sequenceLabels.map((id) => id + 1),
      ),
    ).rejects.toThrow(/holds class id 3 at flat index 2, but the model outputs 3 classes/);
    await expect(
      model.fit(
        sequences.map((s) => s.slice(0, 3)),
        sequenceLabels,
      ),
    ).rejects.toThrow(ShapeError);
    await expect(model.fit(sequences, sequenceLabels, { batchsize: 4 } as never)).rejects.toThrow(
      /unknown option 'batchsize'. Did you mean 'batchSize'\?/,
    );
    await expect(model.fit(sequences, sequenceLabels, { validationSplit: 0.99 })).rejects.toThrow(
      /leaves 0 for training/,
    );
    const categorical = new Sequential([new Dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
    categorical.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', backend: tsBackend() });
    await expect(categorical.fit([[1, 2]], [1])).rejects.toThrow(
      "Loss 'categorical_crossentropy': y has shape [1], but the model's output has shape [1, 3], so y should have shape [1, 3] (one-hot rows; for integer class ids use 'sparse_categorical_crossentropy').",
    );
  });

  it('fit before compile, and metrics that do not fit the loss, are refused clearly', async () => {
    const model = new Sequential([new Dense({ units: 2, inputShape: [2] })]);
    await expect(model.fit([[1, 2]], [0])).rejects.toThrow(/is not compiled; call model.compile/);
    expect(() =>
      model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['mae'] }),
    ).toThrow(ValueError);
    expect(() => model.compile({ optimizer: 'adamw', loss: 'mse' })).toThrow(/unknown optimizer "adamw"/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'hinge' as never })).toThrow(/unknown loss "hinge"/);
  });

  it('reports progress on every batch and leaks no tensors across epochs', async () => {
    const model = sequenceModel(5);
    const batchLogs: Logs[] = [];
    const live: number[] = [];
    await model.fit(sequences, sequenceLabels, {
      epochs: 3,
      batchSize: 8,
      callbacks: [
        new LambdaCallback({
          onBatchEnd: (_batch, logs) => void batchLogs.push(logs),
          onEpochEnd: () => void live.push(model.engine.liveTensors),
        }),
      ],
    });
    expect(batchLogs.length).toBe(9);
    expect(batchLogs.map((logs) => [logs.epoch, logs.batch, logs.size])).toEqual(
      [0, 1, 2].flatMap((epoch) => [
        [epoch, 0, 8],
        [epoch, 1, 8],
        [epoch, 2, 4],
      ]),
    );
    for (const logs of batchLogs) {
      expect(Object.keys(logs).sort()).toEqual([
        'accuracy',
        'batch',
        'batches',
        'epoch',
        'etaSeconds',
        'loss',
        'samplesPerSecond',
        'size',
      ]);
      expect(logs.batches).toBe(3);
    }
    expect(batchLogs[2].etaSeconds).toBe(0);
    expect(live[1]).toBe(live[0]);
    expect(live[2]).toBe(live[0]);
  });

  it('a callback can stop training after the current batch', async () => {
    const model = sequenceModel(2);
    let batches = 0;
    const history = await model.fit(sequences, sequenceLabels, {
      epochs: 5,
      batchSize: 4,
      callbacks: [
        new LambdaCallback({
          onBatchEnd: (batch) => {
            batches++;
            if (batch === 1) model.stopTraining = true;
          },
        }),
      ],
    });
    expect(batches).toBe(2);
    expect(history.epoch).toEqual([0]);
  });

  it('resuming with the saved optimizer state continues the same trajectory', async () => {
    const straight = sequenceModel(11);
    await straight.fit(sequences, sequenceLabels, { epochs: 2, batchSize: 5, shuffle: false });

    const interrupted = sequenceModel(11);
    await interrupted.fit(sequences, sequenceLabels, { epochs: 1, batchSize: 5, shuffle: false });
    const weights = interrupted.getWeights();
    const optimizerState = interrupted.trainingSetup!.optimizer.getState();
    const random = interrupted.random.snapshot();

    const resumed = sequenceModel(99);
    resumed.setWeights(weights);
    resumed.random.restore(random);
    const optimizer = new Adam({ learningRate: 0.01 });
    optimizer.setState(optimizerState);
    resumed.compile({ optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await resumed.fit(sequences, sequenceLabels, {
      epochs: 2,
      initialEpoch: 1,
      batchSize: 5,
      shuffle: false,
    });

    expect(history.epoch).toEqual([1]);
    const expected = straight.getWeights();
    for (const [name, data] of resumed.getWeights())
      expect(Array.from(data.values)).toEqual(Array.from((expected.get(name) as TensorData).values));
  });

  it('evaluate returns the compiled loss and metrics', () => {
    const model = new Sequential([
      new Dense({ units: 2, activation: 'softmax', kernelInitializer: 'zeros', inputShape: [1] }),
    ]);
    model.compile({
      optimizer: 'sgd',
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy', 'perplexity'],
      backend: tsBackend(),
    });
    // Zero weights: a uniform guess over 2 classes, loss ln 2, perplexity 2; argmax ties pick class 0.
    const result = model.evaluate([[1], [2], [3]], [0, 1, 0], { batchSize: 2 });
    expect(result.loss).toBeCloseTo(Math.log(2), 6);
    expect(result.perplexity).toBeCloseTo(2, 5);
    expect(result.accuracy).toBeCloseTo(2 / 3, 6);
  });
});
