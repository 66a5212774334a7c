import { describe, expect, it } from 'vitest';
import {
  Activation,
  Bidirectional,
  Dense,
  Dropout,
  GRU,
  LSTM,
  Masking,
  SimpleRNN,
  TimeDistributed,
  type TensorData,
} from '@recur/core';
import { tsBackend } from '@recur/backend-ts';
import { exportOnnx, importOnnx } from '../src/index.js';
import { OnnxGraphModel } from '../src/interpreter.js';
import {
  buildModel,
  expectClose,
  expectOnnxRuntimeMatches,
  randomFloats,
  runOnnxRuntime,
  type Feed,
} from './onnxruntime-run.js';

/** Random float sequences `[N, T, F]` where row n has `lengths[n]` data steps, then steps filled with `maskValue`. */
function postPadded(
  lengths: readonly number[],
  steps: number,
  features: number,
  maskValue: number,
  seed: number,
): Feed {
  const { values } = randomFloats([lengths.length, steps, features], seed);
  lengths.forEach((length, n) => values.fill(maskValue, (n * steps + length) * features, (n + 1) * steps * features));
  return { shape: [lengths.length, steps, features], values };
}

describe('Masking exports as the step mask and sequence_lens (post-padded batches)', () => {
  it('Masking + Bidirectional(GRU) + LSTM + SimpleRNN + Dense: the last valid step of each row', async () => {
    const model = buildModel(
      [
        new Masking({ inputShape: [null, 3] }),
        new Bidirectional({ layer: new GRU({ units: 4, returnSequences: true }) }),
        new LSTM({ units: 5, returnSequences: true }),
        new SimpleRNN({ units: 3 }),
        new Dense({ units: 2 }),
      ],
      50,
    );
    await expectOnnxRuntimeMatches(model, postPadded([7, 5, 2, 1], 7, 3, 0, 51));
  });

  it('Masking(maskValue -1) + GRU(resetAfter false, goBackwards) + TimeDistributed(Dense softmax): sequence output', async () => {
    const model = buildModel(
      [
        new Masking({ maskValue: -1, inputShape: [null, 2] }),
        new GRU({ units: 4, resetAfter: false, goBackwards: true, returnSequences: true }),
        new LSTM({ units: 3, returnSequences: true }),
        new TimeDistributed({ layer: new Dense({ units: 5, activation: 'softmax' }) }),
      ],
      52,
    );
    await expectOnnxRuntimeMatches(model, postPadded([3, 6, 1], 6, 2, -1, 53));
  });

  it('the Masking output itself zeroes every padding step, wherever it is', async () => {
    const model = buildModel(
      [new Masking({ maskValue: 0.5, inputShape: [null, 2] }), new TimeDistributed({ layer: new Dense({ units: 3 }) })],
      54,
    );
    const input = randomFloats([2, 4, 2], 55);
    input.values.fill(0.5, 2, 4); // step 1 of row 0: padding in the middle
    input.values[9] = 0.5; // one feature of step 0 of row 1 equals the mask value: still data
    await expectOnnxRuntimeMatches(model, input);
  });

  it('TimeDistributed around Activation and Dropout, after an LSTM', async () => {
    const model = buildModel(
      [
        new LSTM({ units: 4, returnSequences: true, inputShape: [null, 3] }),
        new TimeDistributed({ layer: new Dropout({ rate: 0.5 }) }),
        new TimeDistributed({ layer: new Activation({ activation: 'softmax' }) }),
      ],
      56,
    );
    await expectOnnxRuntimeMatches(model, randomFloats([2, 5, 3], 57));
  });

  it('imports back: toSequential and the graph model on backend-ts give ONNX Runtime numbers', async () => {
    const model = buildModel(
      [
        new Masking({ inputShape: [null, 3] }),
        new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }) }),
        new TimeDistributed({ layer: new Dense({ units: 2, activation: 'sigmoid' }) }),
      ],
      58,
    );
    const bytes = exportOnnx(model);
    const input = postPadded([4, 2, 3], 4, 3, 0, 59);
    const { output: expected } = await runOnnxRuntime(bytes, { input });
    const imported = importOnnx(bytes);
    expect(imported.spec).toEqual(model.spec());
    const again = imported.toSequential({ backend: tsBackend() });
    expectClose(again.predict({ shape: input.shape, values: input.values }), expected);
    const graph = new OnnxGraphModel(imported.graph, { backend: tsBackend() });
    expectClose(graph.run({ input })['output'], expected);
    graph.dispose();
  });
});

describe('exportOnnx({ spec, weights }): no backend, no build', () => {
  const model = () =>
    buildModel(
      [
        new Masking({ inputShape: [null, 2] }),
        new Bidirectional({ layer: new GRU({ units: 3 }) }),
        new Dense({ units: 2, activation: 'softmax' }),
      ],
      60,
    );

  it('writes the same bytes as exporting the built model, from a Map or a plain object', () => {
    const built = model();
    const expected = exportOnnx(built);
    expect(exportOnnx({ spec: built.spec(), weights: built.getWeights() })).toEqual(expected);
    expect(
      exportOnnx({ spec: JSON.parse(JSON.stringify(built.spec())), weights: Object.fromEntries(built.getWeights()) }),
    ).toEqual(expected);
  });

  it('names missing, unknown and misshaped weights', () => {
    const built = model();
    const spec = built.spec();
    const missing = built.getWeights();
    missing.delete('bidirectional/backward_gru/recurrent_kernel');
    expect(() => exportOnnx({ spec, weights: missing })).toThrow(
      "exportOnnx: the weights of model 'sequential' lack bidirectional/backward_gru/recurrent_kernel [3, 9]; pass every weight that model.getWeights() returns.",
    );
    const extra = new Map<string, TensorData>([
      ...built.getWeights(),
      ['dense/gamma', { shape: [2], values: new Float32Array(2) }],
    ]);
    expect(() => exportOnnx({ spec, weights: extra })).toThrow(
      /model 'sequential' has no weight named 'dense\/gamma' \(its weights: bidirectional\/forward_gru\/kernel, /,
    );
    const misshaped = built.getWeights();
    misshaped.set('dense/kernel', { shape: [2, 6], values: new Float32Array(12) });
    expect(() => exportOnnx({ spec, weights: misshaped })).toThrow(
      "exportOnnx: weight 'dense/kernel' of model 'sequential' must have shape [6, 2] (from the model spec), got shape [2, 6] with 12 values.",
    );
    expect(() => exportOnnx({ spec: { ...spec, format: 'keras' } as never, weights: built.getWeights() })).toThrow(
      /Not a Recur model spec/,
    );
  });
});
