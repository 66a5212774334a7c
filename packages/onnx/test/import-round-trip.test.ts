import { describe, expect, it } from 'vitest';
import { Bidirectional, Dense, Dropout, Embedding, GRU, LSTM, SimpleRNN } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';
import { OnnxUnsupportedError, decodeModel, exportOnnx, importOnnx } from '../src/index.js';
import { OnnxGraphModel } from '../src/interpreter.js';
import { attribute } from '../src/export/attributes.js';
import { encodeModel } from '../src/proto/encode-model.js';
import type { AttributeProto } from '../src/proto/onnx-messages.js';
import { buildModel, expectClose, randomFloats, runOnnxRuntime } from './onnxruntime-run.js';

const textModel = () =>
  buildModel(
    [
      new Embedding({ inputDim: 12, outputDim: 4, maskZero: true, inputShape: [null] }),
      new Bidirectional({
        layer: new LSTM({ units: 3, returnSequences: true, recurrentActivation: 'hard_sigmoid' }),
        mergeMode: 'mul',
      }),
      new LSTM({ units: 4, goBackwards: true, returnSequences: true }),
      new Bidirectional({ layer: new LSTM({ units: 2, useBias: false }), mergeMode: 'ave' }),
      new Dropout({ rate: 0.1 }),
      new Dense({ units: 5, activation: 'softmax' }),
    ],
    40,
  );

/** GRU in both variants, SimpleRNN and a peephole LSTM, so every operator's weight mapping is read back. */
const mixedModel = () =>
  buildModel(
    [
      new Embedding({ inputDim: 12, outputDim: 4, maskZero: true, inputShape: [null] }),
      new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true }) }),
      new GRU({
        units: 4,
        resetAfter: false,
        goBackwards: true,
        returnSequences: true,
        recurrentActivation: 'hard_sigmoid',
      }),
      new Bidirectional({ layer: new LSTM({ units: 3, peephole: true, returnSequences: true }), mergeMode: 'sum' }),
      new SimpleRNN({ units: 3, activation: 'relu', returnSequences: true }),
      new Bidirectional({ layer: new SimpleRNN({ units: 2, useBias: false }), mergeMode: 'ave' }),
      new Dense({ units: 5, activation: 'softmax' }),
    ],
    43,
  );

const MODELS = { 'LSTM model': textModel, 'GRU, SimpleRNN and peephole LSTM model': mixedModel };

const paddedIds = { shape: [3, 5], values: Int32Array.from([4, 2, 9, 1, 3, 7, 5, 0, 0, 0, 11, 0, 0, 0, 0]) };

describe('import of Recur exports', () => {
  for (const [title, makeModel] of Object.entries(MODELS)) {
    it(`${title}: round trip export -> import -> export -> import keeps the spec, names and weights exactly`, () => {
      const model = makeModel();
      const first = importOnnx(exportOnnx(model, { vocabulary: ['<pad>', 'a', 'b'], metadata: { author: 'test' } }));
      expect(first.spec).toEqual(model.spec());
      expect(first.vocabulary).toEqual(['<pad>', 'a', 'b']);
      expect(first.metadata.author).toBe('test');
      expect([...first.weights.keys()]).toEqual([...model.getWeights().keys()]);
      for (const [name, data] of model.getWeights())
        expect(first.weights.get(name)).toEqual({ shape: data.shape, values: data.values });

      const rebuilt = first.toSequential({ backend: tsBackend() });
      const second = importOnnx(exportOnnx(rebuilt));
      for (const [name, data] of model.getWeights())
        expect(second.weights.get(name)).toEqual({ shape: data.shape, values: data.values });
      expectClose(rebuilt.predict(paddedIds), model.predict(paddedIds), 0);
    });

    it(`${title}: the graph model runs an exported file as ONNX Runtime does (masks, reverse, merge modes)`, async () => {
      const bytes = exportOnnx(makeModel());
      const { output: expected } = await runOnnxRuntime(bytes, { input: paddedIds });
      const graph = new OnnxGraphModel(importOnnx(bytes).graph, { backend: tsBackend() });
      expectClose(graph.run({ input: paddedIds }).output, expected);
      graph.dispose();
    });
  }

  it('a peephole LSTM runs in the graph model as ONNX Runtime runs it (P read back in order i, f, o)', async () => {
    const model = buildModel(
      [new LSTM({ units: 4, peephole: true, returnSequences: true, inputShape: [null, 3] })],
      44,
    );
    const x = randomFloats([2, 6, 3], 45);
    const bytes = exportOnnx(model);
    const { output: expected } = await runOnnxRuntime(bytes, { input: x });
    const graph = new OnnxGraphModel(importOnnx(bytes).graph, { backend: tsBackend() });
    expectClose(graph.run({ input: x }).output, expected);
    graph.dispose();
  });

  it('the graph model carries state through exposeState inputs and outputs', async () => {
    const model = buildModel([new LSTM({ units: 3, returnSequences: true, inputShape: [null, 2] })], 41);
    const bytes = exportOnnx(model, { exposeState: true });
    const graph = new OnnxGraphModel(importOnnx(bytes).graph, { backend: tsBackend() });
    const x = randomFloats([1, 4, 2], 42);
    const zeros = { shape: [1, 1, 3], values: new Float32Array(3) };
    const { output: expected } = await runOnnxRuntime(exportOnnx(model), { input: x });
    let h: { shape: readonly number[]; values: ArrayLike<number> } = zeros;
    let c: { shape: readonly number[]; values: ArrayLike<number> } = zeros;
    for (let t = 0; t < 4; t++) {
      const outputs = graph.run({
        input: { shape: [1, 1, 2], values: x.values.subarray(2 * t, 2 * t + 2) },
        'state_in.lstm.h': h,
        'state_in.lstm.c': c,
      });
      expectClose(outputs.output, { shape: [1, 1, 3], values: expected.values.subarray(3 * t, 3 * t + 3) });
      h = outputs['state_out.lstm.h'];
      c = outputs['state_out.lstm.c'];
    }
  });
});

describe('import errors name the problem', () => {
  const graphWith = (opType: string, attribute: AttributeProto[] = []) =>
    encodeModel({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'g',
        node: [{ name: 'my_conv', opType, input: ['x'], output: ['y'], attribute }],
        input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }] } } } }],
        output: [{ name: 'y', type: { tensorType: { elemType: 1 } } }],
      },
    });

  it('an unknown operator names the operator and the node', () => {
    expect(() => importOnnx(graphWith('Conv'))).toThrow(OnnxUnsupportedError);
    expect(() => importOnnx(graphWith('Conv'))).toThrow(/node 'my_conv' \(Conv\): operator 'Conv' is not supported/);
  });

  it('recurrent attributes Recur cannot compute are refused, naming the node and the attribute', () => {
    expect(() => importOnnx(graphWith('GRU', [attribute.float('clip', 3)]))).toThrow(
      /node 'my_conv' \(GRU\): cell clipping \('clip'\) is not supported by Recur's GRU/,
    );
    expect(() => importOnnx(graphWith('RNN', [attribute.strings('activations', ['Tanh', 'Tanh'])]))).toThrow(
      /node 'my_conv' \(RNN\): 'activations' needs 1 entries/,
    );
    expect(() => importOnnx(graphWith('RNN', [attribute.strings('activations', ['Elu'])]))).toThrow(
      /the recurrent activation Elu \(alpha 1\) has no Recur equivalent/,
    );
    expect(() => importOnnx(graphWith('GRU', [attribute.int('linear_before_reset', 2)]))).toThrow(
      /linear_before_reset must be 0 or 1, got 2/,
    );
  });

  it('a missing or misshapen graph input names the input', () => {
    const graph = new OnnxGraphModel(importOnnx(graphWith('Tanh')).graph, { backend: tsBackend() });
    expect(() => graph.run({})).toThrow(/needs input 'x'/);
    expect(() => graph.run({ x: { shape: [3], values: [1, 2, 3] } })).toThrow(/Input 'x' must have shape \[2\]/);
    expectClose(graph.run({ x: { shape: [2], values: [0.5, -1] } }).y, {
      shape: [2],
      values: Float32Array.from([Math.tanh(0.5), Math.tanh(-1)]),
    });
  });

  it('a Dense Gemm changed after export (transB here) is refused, not read as the kernel', () => {
    const proto = decodeModel(
      exportOnnx(buildModel([new LSTM({ units: 3, inputShape: [4, 2] }), new Dense({ units: 3 })], 7)),
    );
    const gemm = proto.graph!.node!.find((node) => node.opType === 'Gemm')!;
    gemm.attribute = [...(gemm.attribute ?? []), attribute.int('transB', 1)];
    expect(() => importOnnx(encodeModel(proto)).toSequential({ backend: tsBackend() })).toThrow(
      /dense\/Gemm.* sets transA, transB, alpha or beta/,
    );
  });

  it('a foreign graph is not turned into a Sequential model silently', () => {
    const imported = importOnnx(graphWith('Tanh'));
    expect(imported.spec).toBeNull();
    expect(() => imported.toSequential({ backend: tsBackend() })).toThrow(/is not a Sequential chain: /);
  });
});
