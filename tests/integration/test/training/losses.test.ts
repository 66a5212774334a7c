import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Accuracy,
  Engine,
  Perplexity,
  binaryCrossentropy,
  categoricalCrossentropy,
  meanSquaredError,
  sparseCategoricalCrossentropy,
  valueAndGradients,
  type Loss,
  type MetricBatch,
} from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

/**
 * Loss values against TensorFlow.js (tf.metrics / tf.losses, cpu backend) and against hand
 * math for the cases tfjs does not cover (stability at extreme logits, exact gradients).
 */

const engine = new Engine(tsBackend());

// Three samples of four classes: probabilities (rows sum to 1, one near-zero entry) and logits.
const probabilities = [
  [0.7, 0.1, 0.1, 0.1],
  [0.05, 0.05, 0.0, 0.9],
  [0.25, 0.25, 0.25, 0.25],
];
const logits = [
  [2.0, -1.0, 0.5, 0.0],
  [-3.0, 4.0, 1.0, 0.2],
  [0.1, 0.1, -0.3, 2.5],
];
const classIds = [0, 2, 3];
const oneHot = classIds.map((id) => [0, 1, 2, 3].map((k) => (k === id ? 1 : 0)));

type Nested = number | Nested[];

function shapeOf(data: Nested): number[] {
  return Array.isArray(data) ? [data.length, ...shapeOf(data[0])] : [];
}

/** Our loss on nested arrays (labels in the loss's dtype), as a host number. */
function ours(loss: Loss, output: Nested[], labels: Nested[], fromLogits: boolean): number {
  const flat = (data: Nested): number[] => (Array.isArray(data) ? data.flatMap(flat) : [data]);
  return engine.tidy(() =>
    loss
      .compute(
        engine.tensor(flat(output), shapeOf(output)),
        engine.tensor(flat(labels), shapeOf(labels), loss.labelDtype),
        fromLogits,
      )
      .item(),
  );
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('losses match TensorFlow.js', () => {
  it('categorical_crossentropy from probabilities (clipped at 1e-7 like tf.metrics)', () => {
    const expected = tf.metrics
      .categoricalCrossentropy(tf.tensor2d(oneHot), tf.tensor2d(probabilities))
      .mean()
      .dataSync()[0];
    expect(ours(categoricalCrossentropy, probabilities, oneHot, false)).toBeCloseTo(expected, 5);
  });

  it('categorical_crossentropy from logits', () => {
    const expected = tf.losses.softmaxCrossEntropy(tf.tensor2d(oneHot), tf.tensor2d(logits)).dataSync()[0];
    expect(ours(categoricalCrossentropy, logits, oneHot, true)).toBeCloseTo(expected, 5);
  });

  it('sparse_categorical_crossentropy from probabilities, labels [N] and [N, 1]', () => {
    // tfjs 4.22 exports no sparse metric; the sparse loss is the categorical one on one-hot rows.
    const expected = tf.metrics
      .categoricalCrossentropy(tf.tensor2d(oneHot), tf.tensor2d(probabilities))
      .mean()
      .dataSync()[0];
    expect(ours(sparseCategoricalCrossentropy, probabilities, classIds, false)).toBeCloseTo(expected, 5);
    expect(
      ours(
        sparseCategoricalCrossentropy,
        probabilities,
        classIds.map((id) => [id]),
        false,
      ),
    ).toBeCloseTo(expected, 5);
  });

  it('sparse_categorical_crossentropy from logits equals the one-hot softmax cross-entropy', () => {
    const expected = tf.losses.softmaxCrossEntropy(tf.tensor2d(oneHot), tf.tensor2d(logits)).dataSync()[0];
    expect(ours(sparseCategoricalCrossentropy, logits, classIds, true)).toBeCloseTo(expected, 5);
  });

  it('sparse_categorical_crossentropy on sequences: outputs [N, T, C], labels [N, T]', () => {
    const sequenceLogits = [logits, logits.map((row) => row.map((v) => -v))];
    const sequenceIds = [classIds, [3, 0, 1]];
    const sequenceOneHot = sequenceIds.flat().map((id) => [0, 1, 2, 3].map((k) => (k === id ? 1 : 0)));
    const expected = tf.losses
      .softmaxCrossEntropy(tf.tensor2d(sequenceOneHot), tf.tensor2d(sequenceLogits.flat()))
      .dataSync()[0];
    expect(ours(sparseCategoricalCrossentropy, sequenceLogits, sequenceIds, true)).toBeCloseTo(expected, 5);
  });

  it('binary_crossentropy from probabilities and from logits', () => {
    const targets = [
      [1, 0],
      [0, 0],
      [1, 1],
    ];
    const p = [
      [0.9, 0.2],
      [0.0, 0.4],
      [0.6, 1.0],
    ];
    const x = [
      [2.0, -0.5],
      [-1.0, 0.0],
      [0.3, 5.0],
    ];
    const expectedP = tf.metrics.binaryCrossentropy(tf.tensor2d(targets), tf.tensor2d(p)).mean().dataSync()[0];
    expect(ours(binaryCrossentropy, p, targets, false)).toBeCloseTo(expectedP, 5);
    const expectedLogits = tf.losses.sigmoidCrossEntropy(tf.tensor2d(targets), tf.tensor2d(x)).dataSync()[0];
    expect(ours(binaryCrossentropy, x, targets, true)).toBeCloseTo(expectedLogits, 5);
  });

  it('mean_squared_error, with labels [N] for outputs [N, 1]', () => {
    const expected = tf.losses
      .meanSquaredError(tf.tensor2d([[1], [2], [-1]]), tf.tensor2d([[0.5], [2.5], [1]]))
      .dataSync()[0];
    expect(ours(meanSquaredError, [[0.5], [2.5], [1]], [1, 2, -1], false)).toBeCloseTo(expected, 6);
  });
});

describe('losses from logits are stable and have exact gradients (hand math)', () => {
  it('extreme logits give finite, exact values', () => {
    // log-sum-exp of [1000, 0] is 1000 (to float32), so -log p(class 1) = 1000 and -log p(class 0) = 0.
    expect(ours(sparseCategoricalCrossentropy, [[1000, 0]], [1], true)).toBeCloseTo(1000, 3);
    expect(ours(sparseCategoricalCrossentropy, [[1000, 0]], [0], true)).toBeCloseTo(0, 6);
    // softplus(x) - x y: x = 100, y = 0 costs 100; x = -100, y = 0 costs ~3.7e-44.
    expect(ours(binaryCrossentropy, [[100], [-100]], [[0], [0]], true)).toBeCloseTo(50, 4);
  });

  it('d(CE)/d(logits) = (softmax - onehot) / N', () => {
    const x = engine.tensor(logits.flat(), [3, 4]);
    const { grads } = valueAndGradients(
      engine,
      () => sparseCategoricalCrossentropy.compute(x, engine.tensor(classIds, [3], 'int32'), true),
      [x],
    );
    const got = grads[0].toArray();
    logits.forEach((row, n) => {
      const peak = Math.max(...row);
      const total = row.reduce((sum, v) => sum + Math.exp(v - peak), 0);
      row.forEach((v, k) =>
        expect(got[n * 4 + k]).toBeCloseTo((Math.exp(v - peak) / total - (k === classIds[n] ? 1 : 0)) / 3, 6),
      );
    });
  });

  it('d(BCE)/d(logit) = (sigmoid(x) - y) / count, also exactly at x = 0', () => {
    const values = [0, 0, 3, -2];
    const targets = [1, 0, 0, 1];
    const x = engine.tensor(values, [4, 1]);
    const { grads } = valueAndGradients(
      engine,
      () => binaryCrossentropy.compute(x, engine.tensor(targets, [4, 1]), true),
      [x],
    );
    grads[0].toArray().forEach((g, k) => expect(g).toBeCloseTo((1 / (1 + Math.exp(-values[k])) - targets[k]) / 4, 6));
  });
});

describe('metrics match TensorFlow.js', () => {
  const batch = (
    outputs: number[][],
    labels: number[],
    labelKind: MetricBatch['labelKind'],
    foldedActivation: MetricBatch['foldedActivation'],
  ): MetricBatch => ({
    outputs: Float32Array.from(outputs.flat()),
    outputShape: [outputs.length, outputs[0].length],
    foldedActivation,
    labels: labelKind === 'sparse' ? Int32Array.from(labels) : Float32Array.from(labels),
    labelKind,
  });

  it('accuracy: sparse, categorical and binary flavours', () => {
    const sparse = new Accuracy();
    sparse.update(batch(logits, classIds, 'sparse', 'softmax'));
    expect(sparse.result()).toBeCloseTo(
      tf.metrics.sparseCategoricalAccuracy(tf.tensor1d(classIds), tf.tensor2d(logits)).mean().dataSync()[0],
      6,
    );
    const categorical = new Accuracy();
    categorical.update(batch(probabilities, oneHot.flat(), 'categorical', null));
    expect(categorical.result()).toBeCloseTo(
      tf.metrics.categoricalAccuracy(tf.tensor2d(oneHot), tf.tensor2d(probabilities)).mean().dataSync()[0],
      6,
    );
    const targets = [[1], [0], [1], [0]];
    const p = [[0.7], [0.6], [0.2], [0.1]];
    const binary = new Accuracy();
    // As logits of a folded sigmoid: logit(p) > 0 exactly when p > 0.5.
    binary.update(
      batch(
        p.map(([v]) => [Math.log(v / (1 - v))]),
        targets.flat(),
        'binary',
        'sigmoid',
      ),
    );
    expect(binary.result()).toBeCloseTo(
      tf.metrics.binaryAccuracy(tf.tensor2d(targets), tf.tensor2d(p)).mean().dataSync()[0],
      6,
    );
  });

  it('perplexity is exp of the mean cross-entropy over every row of the epoch', () => {
    const perplexity = new Perplexity();
    perplexity.update(batch(logits, classIds, 'sparse', 'softmax'));
    perplexity.update(batch([[0, 0, 0, 0]], [1], 'sparse', 'softmax'));
    const crossEntropy = tf.losses.softmaxCrossEntropy(tf.tensor2d(oneHot), tf.tensor2d(logits)).dataSync()[0] * 3;
    // The uniform row adds log 4 to the total.
    expect(perplexity.result()).toBeCloseTo(Math.exp((crossEntropy + Math.log(4)) / 4), 4);
  });

  it('a uniform guess over C classes has perplexity C', () => {
    const perplexity = new Perplexity();
    perplexity.update(batch([[1, 1, 1, 1, 1]], [2], 'sparse', 'softmax'));
    expect(perplexity.result()).toBeCloseTo(5, 5);
  });
});

describe('tensor bookkeeping', () => {
  it('a loss inside tidy leaves nothing behind', () => {
    const before = engine.liveTensors;
    ours(sparseCategoricalCrossentropy, logits, classIds, true);
    ours(binaryCrossentropy, [[0.5]], [[1]], true);
    expect(engine.liveTensors).toBe(before);
  });
});
