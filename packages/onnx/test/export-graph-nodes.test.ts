import { describe, expect, it } from 'vitest';
import { Bidirectional, Dense, Embedding, LSTM, type Layer } from '@recur/core';
import { decodeModel, exportOnnx } from '../src/index.js';
import { buildModel } from './onnxruntime-run.js';

const opTypes = (layers: Layer[]) =>
  decodeModel(exportOnnx(buildModel(layers, 60))).graph!.node!.map((node) => node.opType);

describe('an exported graph holds the nodes a hand-built ONNX graph would, no layout plumbing beyond them', () => {
  it('text classifier: the int ids are transposed, not their embeddings; the last step is a Squeeze; Dense is one Gemm', () => {
    expect(
      opTypes([
        new Embedding({ inputDim: 20, outputDim: 4, inputShape: [null] }),
        new LSTM({ units: 3 }),
        new Dense({ units: 1, activation: 'sigmoid' }),
      ]),
    ).toEqual(['Transpose', 'Gather', 'LSTM', 'Squeeze', 'Gemm', 'Sigmoid']);
  });

  it('stacked layers pass the sequence on time-major: no Transpose between recurrent nodes', () => {
    expect(
      opTypes([
        new LSTM({ units: 3, returnSequences: true, inputShape: [null, 2] }),
        new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }) }),
        new LSTM({ units: 2, returnSequences: true }),
      ]),
    ).toEqual(['Transpose', 'LSTM', 'Squeeze', 'LSTM', 'Transpose', 'Reshape', 'LSTM', 'Squeeze', 'Transpose']);
  });

  it('the graph output is written by the node computing it, under the name output', () => {
    const graph = decodeModel(
      exportOnnx(buildModel([new LSTM({ units: 3, inputShape: [null, 2] }), new Dense({ units: 2 })], 61)),
    ).graph!;
    expect(graph.output!.map((output) => output.name)).toEqual(['output']);
    expect(graph.node!.at(-1)).toMatchObject({ opType: 'Gemm', output: ['output'] });
  });
});
