import { describe, expect, it } from 'vitest';
import { Dense, Embedding, LSTM, Sequential } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';
import { exportOnnx } from '../src/index.js';
import { expectClose, randomizeWeights, runOnnxRuntime, type Feed } from './onnxruntime-run.js';
import { InferenceSession } from 'onnxruntime-node';

describe('exposeState: generating one token at a time by carrying the state', () => {
  it('names the state inputs and outputs after the layers', async () => {
    const model = new Sequential([
      new LSTM({ units: 3, returnSequences: true, inputShape: [null, 2] }),
      new LSTM({ units: 2 }),
    ]);
    model.build({ backend: tsBackend(), seed: 1 });
    const session = await InferenceSession.create(exportOnnx(model, { exposeState: true }));
    expect(session.inputNames).toEqual([
      'input',
      'state_in.lstm.h',
      'state_in.lstm.c',
      'state_in.lstm_1.h',
      'state_in.lstm_1.c',
    ]);
    expect(session.outputNames).toEqual([
      'output',
      'state_out.lstm.h',
      'state_out.lstm.c',
      'state_out.lstm_1.h',
      'state_out.lstm_1.c',
    ]);
    await session.release();
  });

  it('step-by-step outputs in ONNX Runtime equal Recur on the whole sequence', async () => {
    const vocabulary = 10;
    const steps = 6;
    const model = new Sequential([
      new Embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [null] }),
      new LSTM({ units: 5, returnSequences: true }),
      new LSTM({ units: 4, returnSequences: true }),
      new Dense({ units: vocabulary, activation: 'softmax' }),
    ]);
    model.build({ backend: tsBackend(), seed: 2 });
    randomizeWeights(model, 3);
    const ids = Int32Array.from([3, 1, 4, 1, 5, 9]);
    const expected = model.predict({ shape: [1, steps], values: ids });
    const bytes = exportOnnx(model, { exposeState: true });

    const zeros = (units: number): Feed => ({ shape: [1, 1, units], values: new Float32Array(units) });
    let state: Record<string, Feed> = {
      'state_in.lstm.h': zeros(5),
      'state_in.lstm.c': zeros(5),
      'state_in.lstm_1.h': zeros(4),
      'state_in.lstm_1.c': zeros(4),
    };
    for (let t = 0; t < steps; t++) {
      const outputs = await runOnnxRuntime(bytes, {
        input: { shape: [1, 1], values: ids.subarray(t, t + 1) },
        ...state,
      });
      const expectedStep = {
        shape: [1, 1, vocabulary],
        values: expected.values.subarray(t * vocabulary, (t + 1) * vocabulary),
      };
      expectClose(outputs.output, expectedStep);
      state = Object.fromEntries(
        Object.entries(outputs)
          .filter(([name]) => name.startsWith('state_out.'))
          .map(([name, value]) => [
            name.replace('state_out.', 'state_in.'),
            { shape: value.shape, values: value.values as Float32Array },
          ]),
      );
    }
  });
});
