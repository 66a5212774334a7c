import { describe, it } from 'vitest';
import { Activation, Bidirectional, Dense, Dropout, Embedding, LSTM, TimeDistributed } from '@recur/core';
import { buildModel, expectOnnxRuntimeMatches, paddedIds, randomFloats } from './onnxruntime-run.js';

describe('exported models give the same numbers in ONNX Runtime as in Recur', () => {
  it('Dense with tanh on [N, F]', async () => {
    const model = buildModel([new Dense({ units: 3, activation: 'tanh', inputShape: [5] })], 1);
    await expectOnnxRuntimeMatches(model, randomFloats([4, 5], 2));
  });

  it('LSTM returning sequences, then Dense softmax on every step', async () => {
    const model = buildModel(
      [
        new LSTM({ units: 6, returnSequences: true, inputShape: [null, 4] }),
        new Dense({ units: 3, activation: 'softmax' }),
      ],
      3,
    );
    await expectOnnxRuntimeMatches(model, randomFloats([2, 5, 4], 4));
  });

  it('LSTM returning the last step, with a dynamic batch and time axis', async () => {
    const model = buildModel([new LSTM({ units: 5, inputShape: [null, 3] })], 5);
    await expectOnnxRuntimeMatches(model, randomFloats([3, 7, 3], 6));
    await expectOnnxRuntimeMatches(model, randomFloats([1, 2, 3], 7));
  });

  it('Embedding(maskZero) + LSTM + Dense on a post-padded batch (last valid step)', async () => {
    const model = buildModel(
      [
        new Embedding({ inputDim: 11, outputDim: 4, maskZero: true, inputShape: [null] }),
        new LSTM({ units: 5 }),
        new Dense({ units: 2, activation: 'sigmoid' }),
      ],
      8,
    );
    await expectOnnxRuntimeMatches(model, paddedIds([6, 2, 4, 1], 6, 11));
  });

  it('Embedding(maskZero) + LSTM returning sequences: zeros at padded steps', async () => {
    const model = buildModel(
      [
        new Embedding({ inputDim: 9, outputDim: 3, maskZero: true, inputShape: [null] }),
        new LSTM({ units: 4, returnSequences: true }),
      ],
      9,
    );
    await expectOnnxRuntimeMatches(model, paddedIds([5, 3, 1], 5, 9));
  });

  it('Bidirectional(LSTM) concat, returning sequences and the last step', async () => {
    const sequences = buildModel(
      [new Bidirectional({ layer: new LSTM({ units: 4, returnSequences: true }), inputShape: [null, 3] })],
      10,
    );
    await expectOnnxRuntimeMatches(sequences, randomFloats([2, 5, 3], 11));
    const last = buildModel([new Bidirectional({ layer: new LSTM({ units: 4 }), inputShape: [null, 3] })], 12);
    await expectOnnxRuntimeMatches(last, randomFloats([3, 4, 3], 13));
  });

  for (const mergeMode of ['sum', 'mul', 'ave'] as const) {
    it(`Bidirectional(LSTM) merge mode ${mergeMode}`, async () => {
      const sequences = buildModel(
        [new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }), mergeMode, inputShape: [null, 2] })],
        14,
      );
      await expectOnnxRuntimeMatches(sequences, randomFloats([2, 4, 2], 15));
      const last = buildModel(
        [new Bidirectional({ layer: new LSTM({ units: 3 }), mergeMode, inputShape: [null, 2] })],
        16,
      );
      await expectOnnxRuntimeMatches(last, randomFloats([2, 4, 2], 17));
      // Merged while the sequence stays time-major for the next recurrent layer.
      const stacked = buildModel(
        [
          new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }), mergeMode, inputShape: [null, 2] }),
          new LSTM({ units: 2, returnSequences: true }),
        ],
        41,
      );
      await expectOnnxRuntimeMatches(stacked, randomFloats([3, 4, 2], 42));
    });
  }

  it('Embedding(maskZero) + Bidirectional(LSTM) on a post-padded batch', async () => {
    const model = buildModel(
      [
        new Embedding({ inputDim: 8, outputDim: 3, maskZero: true, inputShape: [null] }),
        new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }) }),
        new Bidirectional({ layer: new LSTM({ units: 2 }) }),
      ],
      18,
    );
    await expectOnnxRuntimeMatches(model, paddedIds([4, 1, 3], 4, 8));
  });

  it('stacked LSTMs with Dropout between them', async () => {
    const model = buildModel(
      [
        new LSTM({ units: 5, returnSequences: true, inputShape: [null, 3] }),
        new Dropout({ rate: 0.3 }),
        new LSTM({ units: 4, returnSequences: true }),
        new LSTM({ units: 3 }),
        new Dense({ units: 2 }),
      ],
      19,
    );
    await expectOnnxRuntimeMatches(model, randomFloats([2, 6, 3], 20));
  });

  it('goBackwards: returned sequence in processing order, and the last step', async () => {
    const sequences = buildModel(
      [new LSTM({ units: 4, goBackwards: true, returnSequences: true, inputShape: [null, 3] })],
      21,
    );
    await expectOnnxRuntimeMatches(sequences, randomFloats([2, 5, 3], 22));
    const last = buildModel([new LSTM({ units: 4, goBackwards: true, inputShape: [null, 3] })], 23);
    await expectOnnxRuntimeMatches(last, randomFloats([2, 5, 3], 24));
  });

  it('goBackwards returning a sequence into another LSTM (flipped while time-major)', async () => {
    const model = buildModel(
      [
        new LSTM({ units: 4, goBackwards: true, returnSequences: true, inputShape: [null, 3] }),
        new LSTM({ units: 3, returnSequences: true }),
      ],
      43,
    );
    await expectOnnxRuntimeMatches(model, randomFloats([2, 5, 3], 44));
  });

  it('per-step layers before an LSTM: Dense on the sequence, TimeDistributed(Dense), Activation, Dropout', async () => {
    const model = buildModel(
      [
        new Dense({ units: 4, activation: 'relu', inputShape: [null, 3] }),
        new TimeDistributed({ layer: new Dense({ units: 3, useBias: false }) }),
        new Activation({ activation: 'tanh' }),
        new Dropout({ rate: 0.2 }),
        new LSTM({ units: 4 }),
      ],
      45,
    );
    await expectOnnxRuntimeMatches(model, randomFloats([3, 5, 3], 46));
  });

  it('goBackwards with a mask from Embedding(maskZero)', async () => {
    const model = buildModel(
      [
        new Embedding({ inputDim: 7, outputDim: 3, maskZero: true, inputShape: [null] }),
        new LSTM({ units: 3, goBackwards: true, returnSequences: true }),
      ],
      25,
    );
    await expectOnnxRuntimeMatches(model, paddedIds([5, 2, 3], 5, 7));
  });

  it('hard_sigmoid gates and softsign activation (explicit ONNX alpha/beta)', async () => {
    const model = buildModel(
      [
        new LSTM({
          units: 4,
          recurrentActivation: 'hard_sigmoid',
          activation: 'softsign',
          returnSequences: true,
          inputShape: [null, 3],
        }),
      ],
      26,
    );
    await expectOnnxRuntimeMatches(model, randomFloats([2, 5, 3], 27));
  });

  it('hard_sigmoid candidate activation after sigmoid gates, relu and linear cells', async () => {
    for (const [seed, activation] of [
      [28, 'hard_sigmoid'],
      [30, 'relu'],
      [32, 'linear'],
    ] as const) {
      const model = buildModel(
        [new LSTM({ units: 3, activation, returnSequences: true, inputShape: [null, 2] })],
        seed,
      );
      await expectOnnxRuntimeMatches(model, randomFloats([2, 4, 2], seed + 1));
    }
  });

  it('Dense without a bias on [N, F] and on a sequence', async () => {
    const flat = buildModel([new Dense({ units: 3, useBias: false, inputShape: [4] })], 47);
    await expectOnnxRuntimeMatches(flat, randomFloats([2, 4], 48));
    const sequence = buildModel(
      [new LSTM({ units: 3, returnSequences: true, inputShape: [null, 2] }), new Dense({ units: 2, useBias: false })],
      49,
    );
    await expectOnnxRuntimeMatches(sequence, randomFloats([2, 3, 2], 50));
  });

  it('a model of Dropout alone returns its input', async () => {
    const model = buildModel([new Dropout({ rate: 0.5, inputShape: [3] })], 51);
    await expectOnnxRuntimeMatches(model, randomFloats([2, 3], 52));
  });

  it('Dense and Activation layers with every activation', async () => {
    for (const [seed, activation] of [
      [34, 'hard_sigmoid'],
      [35, 'softsign'],
      [36, 'relu'],
      [37, 'sigmoid'],
      [38, 'linear'],
      [39, 'softmax'],
    ] as const) {
      const model = buildModel([new Dense({ units: 4, inputShape: [3] }), new Activation({ activation })], seed);
      await expectOnnxRuntimeMatches(model, randomFloats([3, 3], seed + 1));
    }
  });
});
