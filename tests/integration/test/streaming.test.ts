import { describe, expect, it } from 'vitest';
import { Dense, Embedding, GRU, LSTM, SequenceStream, Sequential, SimpleRNN } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

function ids(batch: number, steps: number, vocabulary: number): number[][] {
  return Array.from({ length: batch }, (_, n) =>
    Array.from({ length: steps }, (_, t) => (7 * n + 3 * t + 1) % vocabulary),
  );
}

describe('a stream of single steps gives the numbers of the whole sequence', () => {
  it('Embedding -> LSTM -> GRU -> SimpleRNN -> Dense, step k equals the model on the first k steps', () => {
    const model = new Sequential([
      new Embedding({ inputDim: 11, outputDim: 5, inputShape: [null] }),
      new LSTM({ units: 6, returnSequences: true }),
      new GRU({ units: 5, returnSequences: true }),
      new SimpleRNN({ units: 4 }),
      new Dense({ units: 3, activation: 'softmax' }),
    ]);
    model.build({ backend: tsBackend(), seed: 3 });
    const sequences = ids(2, 6, 11);
    const stream = new SequenceStream(model);
    for (let k = 1; k <= 6; k++) {
      const stepped = stream.step(sequences.map((row) => row[k - 1]));
      const whole = model.predict(sequences.map((row) => row.slice(0, k)));
      expect(stepped.shape).toEqual(whole.shape);
      stepped.values.forEach((value, i) => expect(value).toBeCloseTo(whole.values[i], 6));
    }
    stream.reset();
    const fresh = stream.step(sequences.map((row) => row[0]));
    const first = model.predict(sequences.map((row) => row.slice(0, 1)));
    fresh.values.forEach((value, i) => expect(value).toBeCloseTo(first.values[i], 6));
  });

  it('keeps the tensor count flat over a thousand steps', () => {
    const model = new Sequential([new LSTM({ units: 8, inputShape: [null, 3] }), new Dense({ units: 2 })]);
    model.build({ backend: tsBackend(), seed: 1 });
    const stream = new SequenceStream(model);
    stream.step([[0.1, 0.2, 0.3]]);
    const live = model.engine.liveTensors;
    for (let k = 0; k < 1000; k++) stream.step([[Math.sin(k), Math.cos(k), 0.5]]);
    expect(model.engine.liveTensors).toBe(live);
  });

  it('refuses a change of batch size without reset, and layers that need the whole sequence', () => {
    const model = new Sequential([new LSTM({ units: 4, inputShape: [null, 2] })]);
    model.build({ backend: tsBackend() });
    const stream = new SequenceStream(model);
    stream.step([[1, 2]]);
    expect(() =>
      stream.step([
        [1, 2],
        [3, 4],
      ]),
    ).toThrow(/batch of 1.*batch of 2.*reset\(\)/);
    const backwards = new Sequential([new LSTM({ units: 4, goBackwards: true, inputShape: [null, 2] })]);
    backwards.build({ backend: tsBackend() });
    expect(() => new SequenceStream(backwards)).toThrow(/cannot run step by step/);
  });
});

describe('padding in a stream', () => {
  it('a padding id (maskZero) is skipped: the state carries over, as in the whole sequence', () => {
    const model = new Sequential([
      new Embedding({ inputDim: 7, outputDim: 3, maskZero: true, inputShape: [null] }),
      new LSTM({ units: 4 }),
      new Dense({ units: 2 }),
    ]);
    model.build({ backend: tsBackend(), seed: 8 });
    const stream = new SequenceStream(model);
    stream.step([3]);
    stream.step([0]);
    const afterPadding = stream.step([5]);
    const whole = model.predict([[3, 0, 5]]);
    const unpadded = model.predict([[3, 5]]);
    afterPadding.values.forEach((value, i) => {
      expect(value).toBeCloseTo(whole.values[i], 6);
      expect(value).toBeCloseTo(unpadded.values[i], 6);
    });
  });
});

describe('a model that ends in a recurrent layer', () => {
  it('streams step after step (its output is the carried state)', () => {
    const model = new Sequential([new GRU({ units: 3, inputShape: [null, 2] })]);
    model.build({ backend: tsBackend(), seed: 12 });
    const stream = new SequenceStream(model);
    const x = [
      [0.5, -1],
      [1, 0.25],
      [-0.5, 0.75],
    ];
    x.forEach((step, k) => {
      const stepped = stream.step([step]);
      const whole = model.predict([x.slice(0, k + 1)]);
      stepped.values.forEach((value, i) => expect(value).toBeCloseTo(whole.values[i], 6));
    });
  });
});

describe('a conversation saved and resumed', () => {
  const build = () =>
    new Sequential([
      new Embedding({ inputDim: 11, outputDim: 5, inputShape: [null] }),
      new LSTM({ units: 6, returnSequences: true }),
      new GRU({ units: 5 }),
      new Dense({ units: 3, activation: 'softmax' }),
    ]).build({ backend: tsBackend(), seed: 4 });

  it('the state read after k steps, set into a new stream, continues as the whole sequence', () => {
    const model = build();
    const sequences = ids(2, 6, 11);
    const first = new SequenceStream(model);
    expect(first.getState()).toBeNull();
    for (let t = 0; t < 3; t++) first.step(sequences.map((row) => row[t]));
    const saved = first.getState()!;
    // The LSTM carries [h, c], the GRU [h], each [batch, units].
    expect(
      Object.fromEntries(
        Object.entries(saved).map(([layer, tensors]) => [layer, tensors.map((tensor) => tensor.shape)]),
      ),
    ).toEqual({
      lstm: [
        [2, 6],
        [2, 6],
      ],
      gru: [[2, 5]],
    });
    first.reset();
    expect(first.getState()).toBeNull();

    const resumed = new SequenceStream(model);
    resumed.setState(saved);
    for (let k = 4; k <= 6; k++) {
      const stepped = resumed.step(sequences.map((row) => row[k - 1]));
      const whole = model.predict(sequences.map((row) => row.slice(0, k)));
      stepped.values.forEach((value, i) => expect(value).toBeCloseTo(whole.values[i], 6));
    }
  });

  it('gives a copy: a model ending in an LSTM has its output as h, and changing the copy changes nothing', () => {
    const model = new Sequential([new LSTM({ units: 3, inputShape: [null, 2] })]).build({
      backend: tsBackend(),
      seed: 5,
    });
    const stream = new SequenceStream(model);
    const output = stream.step([[0.5, -1]]);
    const state = stream.getState()!;
    expect(Array.from(state.lstm[0].values)).toEqual(Array.from(output.values));
    (state.lstm[0].values as Float32Array).fill(0);
    expect(Array.from(stream.getState()!.lstm[0].values)).toEqual(Array.from(output.values));
  });

  it('refuses a state of the wrong shape, naming the layer and both shapes, and keeps the tensor count flat', () => {
    const model = build();
    const stream = new SequenceStream(model);
    stream.step([1, 2]);
    const state = stream.getState()!;
    const live = model.engine.liveTensors;
    for (let k = 0; k < 10; k++) stream.setState(state);
    expect(model.engine.liveTensors).toBe(live);
    const narrow = { ...state, gru: [{ shape: [2, 4], values: new Float32Array(8) }] };
    expect(() => stream.setState(narrow)).toThrow(
      "Layer 'gru' (GRU) carries 1 state(s) of shape [2, 5]; the state gives [2, 4].",
    );
    expect(() => stream.setState({ lstm: state.lstm })).toThrow(
      "Layer 'gru' (GRU) carries 1 state(s) of shape [2, 5]; the state gives none.",
    );
    expect(() => stream.setState({ ...state, dense: state.gru })).toThrow(
      "The state names 'dense', not a recurrent layer of model 'sequential' (its recurrent layers: 'lstm', 'gru').",
    );
  });
});
