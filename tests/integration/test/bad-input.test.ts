import { describe, expect, it } from 'vitest';
import { Dense, Embedding, LSTM, Sequential, GRU } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

describe('bad input gets a clear error naming the layer, the expectation and the value', () => {
  it('wrong input rank names the model and both shapes', () => {
    const model = new Sequential([new LSTM({ units: 4, inputShape: [10, 3] })]);
    model.build({ backend: tsBackend() });
    expect(() => model.predict([[1, 2, 3]])).toThrow(/expects input of shape \[None, 10, 3\].*got \[1, 3\]/);
  });

  it('a token id outside the vocabulary names the layer and the range', () => {
    const model = new Sequential([new Embedding({ inputDim: 10, outputDim: 2, inputShape: [3] })]);
    model.build({ backend: tsBackend() });
    expect(() => model.predict([[1, 2, 10]])).toThrow(/Embedding, inputDim 10.*index 10.*outside \[0, 9\]/);
  });

  it('NaN in the data is refused before any compute', () => {
    const model = new Sequential([new LSTM({ units: 4, inputShape: [2, 1] })]);
    model.build({ backend: tsBackend() });
    expect(() => model.predict([[[1], [Number.NaN]]])).toThrow(/non-finite value \(NaN\) at flat index 1/);
  });

  it('an unknown option suggests the right name', () => {
    expect(() => new LSTM({ units: 4, returnSequence: true } as never)).toThrow(
      /LSTM: unknown option 'returnSequence'. Did you mean 'returnSequences'/,
    );
    expect(() => new GRU({ units: 0 })).toThrow(/'units' must be a positive integer, got 0/);
    expect(() => new Dense({ units: 3, activation: 'swish' as never })).toThrow(/'activation' must be one of/);
  });

  it('ragged data names the position', () => {
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    model.build({ backend: tsBackend() });
    expect(() => model.predict([[1, 2], [3]])).toThrow(/not rectangular: x\[1\] has 1 entries where 2 were expected/);
  });

  it('a model without an input shape says where to give it', () => {
    expect(() => new Sequential([new LSTM({ units: 4 })])).toThrow(/inputShape on the first layer/);
  });
});

describe('an inference-only backend', () => {
  it('cannot hold trainable weights, and says what to do instead', () => {
    const graphBackend = { kind: 'graph', name: 'onnxruntime-node', compile: async () => undefined };
    const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    expect(() => model.build({ backend: graphBackend as never })).toThrow(
      /'onnxruntime-node' runs whole exported models for inference only.*backend\.compile\(model\)/,
    );
  });
});
