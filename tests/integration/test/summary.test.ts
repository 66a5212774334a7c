import { describe, expect, it } from 'vitest';
import {
  Bidirectional,
  Dense,
  Dropout,
  Embedding,
  GRU,
  LSTM,
  Sequential,
  SimpleRNN,
  TimeDistributed,
} from '@recur/core';

// Expected counts are Keras's (issue #2 and DESIGN.md): LSTM 4H(I+H+1), GRU with reset_after
// 3H(I+H+2), SimpleRNN H(I+H+1); Bidirectional doubles its layer.
describe('summary() reports Keras parameter counts from the spec alone', () => {
  it('counts the Keras sentiment stack exactly', () => {
    const model = new Sequential([
      new Embedding({ inputDim: 20000, outputDim: 50, inputShape: [100] }),
      new LSTM({ units: 128, returnSequences: true }),
      new Dropout({ rate: 0.5 }),
      new LSTM({ units: 128 }),
      new Dropout({ rate: 0.5 }),
      new Dense({ units: 5, activation: 'softmax' }),
    ]);
    expect(model.summaryRows().map((row) => row.parameters)).toEqual([1_000_000, 91_648, 0, 131_584, 0, 645]);
    const table = model.summary();
    expect(table).toContain('lstm (LSTM)');
    expect(table).toContain('(None, 100, 128)');
    expect(table).toContain('Total params: 1,223,877');
  });

  it('counts GRU, SimpleRNN, Bidirectional and TimeDistributed layers', () => {
    const model = new Sequential([
      new GRU({ units: 16, returnSequences: true, inputShape: [null, 8] }),
      new Bidirectional({ layer: new SimpleRNN({ units: 4, returnSequences: true }) }),
      new TimeDistributed({ layer: new Dense({ units: 3 }) }),
      new GRU({ units: 2, resetAfter: false }),
    ]);
    const H = 16;
    expect(model.summaryRows().map((row) => row.parameters)).toEqual([
      3 * H * (8 + H + 2),
      2 * 4 * (16 + 4 + 1),
      8 * 3 + 3,
      3 * 2 * (3 + 2 + 1),
    ]);
    expect(model.outputShape).toEqual([null, 2]);
  });
});
