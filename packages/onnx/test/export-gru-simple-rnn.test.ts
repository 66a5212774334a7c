import { describe, expect, it } from 'vitest';
import { Bidirectional, Dense, Embedding, GRU, LSTM, SimpleRNN } from '@recur/core';
import { InferenceSession } from 'onnxruntime-node';
import { exportOnnx } from '../src/index.js';
import {
  buildModel,
  expectClose,
  expectOnnxRuntimeMatches,
  paddedIds,
  randomFloats,
  runOnnxRuntime,
  type Feed,
} from './onnxruntime-run.js';

describe("GRU exports as one ONNX GRU node that ONNX Runtime runs with Recur's numbers", () => {
  for (const resetAfter of [true, false]) {
    it(`resetAfter ${resetAfter}: returning sequences and the last step`, async () => {
      const sequences = buildModel(
        [new GRU({ units: 5, resetAfter, returnSequences: true, inputShape: [null, 3] }), new Dense({ units: 2 })],
        50,
      );
      await expectOnnxRuntimeMatches(sequences, randomFloats([2, 6, 3], 51));
      const last = buildModel([new GRU({ units: 4, resetAfter, inputShape: [null, 3] })], 52);
      await expectOnnxRuntimeMatches(last, randomFloats([3, 5, 3], 53));
    });

    it(`resetAfter ${resetAfter}: goBackwards, with and without a mask`, async () => {
      const sequences = buildModel(
        [new GRU({ units: 4, resetAfter, goBackwards: true, returnSequences: true, inputShape: [null, 3] })],
        54,
      );
      await expectOnnxRuntimeMatches(sequences, randomFloats([2, 5, 3], 55));
      const masked = buildModel(
        [
          new Embedding({ inputDim: 9, outputDim: 3, maskZero: true, inputShape: [null] }),
          new GRU({ units: 3, resetAfter, goBackwards: true }),
        ],
        56,
      );
      await expectOnnxRuntimeMatches(masked, paddedIds([5, 2, 4], 5, 9));
    });

    it(`resetAfter ${resetAfter}: Bidirectional over a post-padded batch`, async () => {
      const model = buildModel(
        [
          new Embedding({ inputDim: 10, outputDim: 4, maskZero: true, inputShape: [null] }),
          new Bidirectional({ layer: new GRU({ units: 3, resetAfter, returnSequences: true }) }),
          new Bidirectional({ layer: new GRU({ units: 2, resetAfter }), mergeMode: 'ave' }),
        ],
        57,
      );
      await expectOnnxRuntimeMatches(model, paddedIds([6, 1, 3], 6, 10));
    });
  }

  it('without bias, with hard_sigmoid gates and a softsign candidate', async () => {
    const model = buildModel(
      [
        new GRU({
          units: 4,
          useBias: false,
          recurrentActivation: 'hard_sigmoid',
          activation: 'softsign',
          returnSequences: true,
          inputShape: [null, 2],
        }),
      ],
      58,
    );
    await expectOnnxRuntimeMatches(model, randomFloats([2, 5, 2], 59));
  });
});

describe("SimpleRNN exports as one ONNX RNN node that ONNX Runtime runs with Recur's numbers", () => {
  for (const activation of ['tanh', 'relu'] as const) {
    it(`${activation}: returning sequences, the last step, goBackwards`, async () => {
      const sequences = buildModel(
        [
          new SimpleRNN({ units: 5, activation, returnSequences: true, inputShape: [null, 3] }),
          new SimpleRNN({ units: 3, activation }),
        ],
        60,
      );
      await expectOnnxRuntimeMatches(sequences, randomFloats([2, 6, 3], 61));
      const backwards = buildModel(
        [new SimpleRNN({ units: 4, activation, goBackwards: true, returnSequences: true, inputShape: [null, 3] })],
        62,
      );
      await expectOnnxRuntimeMatches(backwards, randomFloats([2, 5, 3], 63));
    });

    it(`${activation}: Bidirectional over a post-padded batch`, async () => {
      const model = buildModel(
        [
          new Embedding({ inputDim: 8, outputDim: 3, maskZero: true, inputShape: [null] }),
          new Bidirectional({
            layer: new SimpleRNN({ units: 3, activation, returnSequences: true }),
            mergeMode: 'sum',
          }),
        ],
        64,
      );
      await expectOnnxRuntimeMatches(model, paddedIds([4, 2, 1], 4, 8));
    });
  }

  it('without bias', async () => {
    const model = buildModel([new SimpleRNN({ units: 3, useBias: false, inputShape: [null, 2] })], 65);
    await expectOnnxRuntimeMatches(model, randomFloats([3, 4, 2], 66));
  });
});

describe('exposeState for GRU and SimpleRNN carries h only', () => {
  it('names one state per layer and matches Recur step by step', async () => {
    const vocabulary = 7;
    const steps = 5;
    const model = buildModel(
      [
        new Embedding({ inputDim: vocabulary, outputDim: 3, inputShape: [null] }),
        new GRU({ units: 4, returnSequences: true }),
        new SimpleRNN({ units: 3, returnSequences: true }),
        new Dense({ units: vocabulary, activation: 'softmax' }),
      ],
      67,
    );
    const bytes = exportOnnx(model, { exposeState: true });
    const session = await InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['input', 'state_in.gru.h', 'state_in.simple_rnn.h']);
    expect(session.outputNames).toEqual(['output', 'state_out.gru.h', 'state_out.simple_rnn.h']);
    await session.release();

    const ids = Int32Array.from([2, 6, 1, 3, 5]);
    const expected = model.predict({ shape: [1, steps], values: ids });
    let state: Record<string, Feed> = {
      'state_in.gru.h': { shape: [1, 1, 4], values: new Float32Array(4) },
      'state_in.simple_rnn.h': { shape: [1, 1, 3], values: new Float32Array(3) },
    };
    for (let t = 0; t < steps; t++) {
      const outputs = await runOnnxRuntime(bytes, {
        input: { shape: [1, 1], values: ids.subarray(t, t + 1) },
        ...state,
      });
      expectClose(outputs.output, {
        shape: [1, 1, vocabulary],
        values: expected.values.subarray(t * vocabulary, (t + 1) * vocabulary),
      });
      state = {
        'state_in.gru.h': {
          shape: outputs['state_out.gru.h'].shape,
          values: outputs['state_out.gru.h'].values as Float32Array,
        },
        'state_in.simple_rnn.h': {
          shape: outputs['state_out.simple_rnn.h'].shape,
          values: outputs['state_out.simple_rnn.h'].values as Float32Array,
        },
      };
    }
  });
});

describe('LSTM with peepholes exports its P input', () => {
  it('matches ONNX Runtime, forward, reverse and bidirectional, with a mask', async () => {
    const forward = buildModel(
      [new LSTM({ units: 4, peephole: true, returnSequences: true, inputShape: [null, 3] })],
      68,
    );
    await expectOnnxRuntimeMatches(forward, randomFloats([2, 5, 3], 69));
    const model = buildModel(
      [
        new Embedding({ inputDim: 9, outputDim: 3, maskZero: true, inputShape: [null] }),
        new Bidirectional({ layer: new LSTM({ units: 3, peephole: true, returnSequences: true }) }),
        new LSTM({ units: 2, peephole: true, goBackwards: true }),
      ],
      70,
    );
    await expectOnnxRuntimeMatches(model, paddedIds([5, 3, 1], 5, 9));
  });
});
