import { describe, expect, it } from 'vitest';
import { Bidirectional, Dense, Embedding, GRU, LSTM, Masking, SimpleRNN, type Layer } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';
import { decodeModel, decodeTensor, exportOnnx, importOnnx, type HostTensor } from '../src/index.js';
import { attribute } from '../src/export/attributes.js';
import { GraphBuilder } from '../src/export/graph-builder.js';
import { encodeModel } from '../src/proto/encode-model.js';
import { tensorToProto } from '../src/proto/tensor-proto.js';
import { buildModel, expectClose, randomFloats, runOnnxRuntime } from './onnxruntime-run.js';
import { CONFORMANCE_TEST_NAMES, loadReferenceModel, referenceBytes } from './reference-files.js';

describe('toSequential on PyTorch exports: chains become Recur models, other graphs are refused with the reason', () => {
  it('embed_lstm_last_linear: Gather -> Transpose -> LSTM -> last step -> Gemm is Embedding + LSTM + Dense', () => {
    const { description, bytes } = loadReferenceModel('embed_lstm_last_linear');
    const imported = importOnnx(bytes);
    expect(imported.notSequentialReason).toBeNull();
    expect(imported.layoutNotes).toEqual([]);
    const model = imported.toSequential({ backend: tsBackend() });
    expect(model.layers.map((layer) => layer.kind)).toEqual(['Embedding', 'LSTM', 'Dense']);
    expect(model.spec().layers[1].config).toMatchObject({ units: 10, returnSequences: false });
    for (const testCase of description.cases) {
      const tokens = testCase.inputs['tokens'];
      const expected = testCase.expected_outputs['logits'];
      const predicted = model.predict({ shape: tokens.shape, values: Int32Array.from(tokens.data) });
      expectClose(predicted, { shape: expected.shape, values: Float32Array.from(expected.data) });
    }
    model.dispose();
  });

  const initialState = (input: string, node: string) => `'${input}': initial_h of node '${node}'`;
  const refusals: Record<string, string> = {
    lstm_bidir_2layer_batchfirst: `the graph has 3 inputs ('x': X of node '/rnn/LSTM' (LSTM), ${initialState('h0', '/rnn/LSTM')} (LSTM), 'c0': initial_c of node '/rnn/LSTM' (LSTM)); a Sequential model takes one`,
    gru_1layer_seqfirst: `the graph has 2 inputs ('x': X of node '/rnn/GRU' (GRU), ${initialState('h0', '/rnn/GRU')} (GRU)); a Sequential model takes one`,
    gru_linear_before_reset_0: `the graph has 2 inputs ('X': X of node '#0' (GRU), ${initialState('initial_h', '#0')} (GRU)); a Sequential model takes one`,
    rnn_tanh_2layer_batchfirst: `the graph has 2 inputs ('x': X of node '/rnn/RNN' (RNN), ${initialState('h0', '/rnn/RNN')} (RNN)); a Sequential model takes one`,
    lstm_dynamic_batch_seq: "the graph has 3 outputs ('y', 'h_n', 'c_n'); a Sequential model returns one",
    rnn_relu_bidir_seqfirst: "the graph has 2 outputs ('y', 'h_n'); a Sequential model returns one",
  };
  for (const [name, reason] of Object.entries(refusals)) {
    it(`${name} is refused: ${reason}`, () => {
      const imported = importOnnx(loadReferenceModel(name).bytes);
      expect(imported.spec).toBeNull();
      expect(imported.notSequentialReason).toBe(`not a Sequential chain: ${reason}`);
      expect(() => imported.toSequential({ backend: tsBackend() })).toThrow(
        `is not a Sequential chain: ${reason}. Run it with OnnxGraphModel from @recur/onnx/interpreter.`,
      );
    });
  }
});

describe('toSequential on the ONNX operator tests', () => {
  for (const name of CONFORMANCE_TEST_NAMES) {
    it(`${name} as published: its weights are graph inputs, so it is not a chain`, () => {
      const imported = importOnnx(referenceBytes('onnx-conformance', name, 'model.onnx'));
      const roles = imported.graph.inputs.map(
        (input) => `'${input.name}': ${input.name} of node '#0' (${imported.graph.nodes[0].opType})`,
      );
      expect(imported.notSequentialReason).toBe(
        `not a Sequential chain: the graph has ${roles.length} inputs (${roles.join(', ')}); a Sequential model takes one`,
      );
    });
  }

  /** The operator test with every input but X stored as a constant, as an exporter writes a trained layer. */
  function withConstantWeights(name: string): Uint8Array {
    const model = decodeModel(referenceBytes('onnx-conformance', name, 'model.onnx'));
    const graph = model.graph!;
    const initializers = (graph.input ?? []).flatMap((input, k) =>
      input.name === 'X'
        ? []
        : [
            tensorToProto(
              input.name!,
              decodeTensor(referenceBytes('onnx-conformance', name, 'test_data_set_0', `input_${k}.pb`)),
            ),
          ],
    );
    return encodeModel({
      ...model,
      graph: { ...graph, input: (graph.input ?? []).filter((input) => input.name === 'X'), initializer: initializers },
    });
  }

  const singleNode = CONFORMANCE_TEST_NAMES.filter(
    (name) => !name.endsWith('_batchwise') && name !== 'test_lstm_with_peepholes',
  );
  for (const name of singleNode) {
    it(`${name} with constant weights: one layer returning its final state (Y_h), time-major input`, () => {
      const imported = importOnnx(withConstantWeights(name));
      expect(imported.notSequentialReason).toBeNull();
      expect(imported.layoutNotes).toEqual([
        "The graph reads input 'X' as [time, batch, features]; the Sequential takes it batch first, [batch, time, features] (transpose the first two axes).",
        "The graph returns 'Y_h' as [directions (1), batch, units]; the Sequential returns the same values as [batch, features].",
      ]);
      const x = decodeTensor(referenceBytes('onnx-conformance', name, 'test_data_set_0', 'input_0.pb'));
      const expected = decodeTensor(referenceBytes('onnx-conformance', name, 'test_data_set_0', 'output_0.pb'));
      const [steps, batch, features] = x.shape;
      const batchFirst = new Float32Array(x.data.length);
      for (let t = 0; t < steps; t++)
        for (let n = 0; n < batch; n++)
          batchFirst.set(
            x.data.subarray((t * batch + n) * features, (t * batch + n + 1) * features),
            (n * steps + t) * features,
          );
      expect(() => imported.toSequential({ backend: tsBackend() })).toThrow(
        /reads input 'X' as \[time, batch, features\].*Pass \{ acceptTransposedInput: true \} to toSequential once your data is batch first/,
      );
      const model = imported.toSequential({ backend: tsBackend(), acceptTransposedInput: true });
      expect(model.spec().layers[0].config).toMatchObject({ returnSequences: false, goBackwards: false });
      expectClose(model.predict({ shape: [batch, steps, features], values: batchFirst }), {
        shape: expected.shape.slice(1),
        values: expected.data as Float32Array,
      });
      model.dispose();
    });
  }

  it('test_lstm_with_peepholes with constant inputs is refused: it reads sequence_lens', () => {
    expect(importOnnx(withConstantWeights('test_lstm_with_peepholes')).notSequentialReason).toBe(
      "not a Sequential chain: node '#0' (LSTM) reads sequence_lens computed in the graph; a Sequential model masks with Embedding(maskZero) or Masking",
    );
  });

  it('the batchwise tests with constant weights are refused: they return Y and Y_h', () => {
    for (const name of CONFORMANCE_TEST_NAMES.filter((test) => test.endsWith('_batchwise'))) {
      expect(importOnnx(withConstantWeights(name)).notSequentialReason).toBe(
        "not a Sequential chain: the graph has 2 outputs ('Y', 'Y_h'); a Sequential model returns one",
      );
    }
  });
});

/** A graph as another exporter writes it: Recur's own export with its model spec removed from the metadata. */
function withoutSpec(bytes: Uint8Array): Uint8Array {
  const model = decodeModel(bytes);
  return encodeModel({ ...model, metadataProps: [] });
}

describe('toSequential follows exporter plumbing (expected outputs from ONNX Runtime)', () => {
  it('Bidirectional GRU returning sequences (Transpose + Reshape merge), Bidirectional LSTM final states (Y_h), Dense + softmax', async () => {
    const model = buildModel(
      [
        new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true }), inputShape: [null, 2] }),
        new SimpleRNN({ units: 4, activation: 'relu', returnSequences: true }),
        new Bidirectional({ layer: new LSTM({ units: 2 }) }),
        new Dense({ units: 3, activation: 'softmax' }),
      ],
      70,
    );
    const bytes = withoutSpec(exportOnnx(model));
    const input = randomFloats([3, 5, 2], 71);
    const { output: expected } = await runOnnxRuntime(bytes, { input });
    const imported = importOnnx(bytes);
    expect(imported.notSequentialReason).toBeNull();
    expect(imported.layoutNotes).toEqual([]);
    expect(imported.spec?.layers.map((layer) => layer.kind)).toEqual([
      'Bidirectional',
      'SimpleRNN',
      'Bidirectional',
      'Dense',
    ]);
    const rebuilt = imported.toSequential({ backend: tsBackend() });
    expectClose(rebuilt.predict({ shape: input.shape, values: input.values }), expected);
  });

  it("PyTorch's out[:, -1:, :].squeeze(1) (Slice + Squeeze) after a seq-first LSTM, then Gemm with transB", async () => {
    const features = 3;
    const units = 4;
    const random = randomFloats([4 * units * (features + units + 2) + 2 * units + 2], 72).values;
    let offset = 0;
    const take = (shape: number[]): HostTensor => {
      const size = shape.reduce((product, dimension) => product * dimension, 1);
      offset += size;
      return { dtype: 'float32', shape, data: random.slice(offset - size, offset) };
    };
    const builder = new GraphBuilder();
    builder.input('x', 'float32', ['batch', 'sequence', features]);
    const output = builder.reserveOutput('y');
    builder.output(output, 'float32', ['batch', 2]);
    const timeMajor = builder.node(
      'Transpose',
      'to_time_major',
      ['x'],
      ['x_t'],
      [attribute.ints('perm', [1, 0, 2])],
    )[0];
    const weights = [
      builder.initializer('W', take([1, 4 * units, features])),
      builder.initializer('R', take([1, 4 * units, units])),
      builder.initializer('B', take([1, 8 * units])),
    ];
    const y = builder.node('LSTM', 'lstm', [timeMajor, ...weights], ['Y'], [attribute.int('hidden_size', units)])[0];
    const squeezed = builder.node('Squeeze', 'squeeze_directions', [y, builder.int64s([1])], ['Y_squeezed'])[0];
    const batchFirst = builder.node(
      'Transpose',
      'to_batch_first',
      [squeezed],
      ['Y_batch_first'],
      [attribute.ints('perm', [1, 0, 2])],
    )[0];
    const lastStep = builder.node(
      'Slice',
      'last_step',
      [batchFirst, builder.int64s([-1]), builder.int64s([Number.MAX_SAFE_INTEGER]), builder.int64s([1])],
      ['Y_last'],
    )[0];
    const last = builder.node('Squeeze', 'squeeze_time', [lastStep, builder.int64s([1])], ['h_last'])[0];
    const logits = builder.node(
      'Gemm',
      'fc',
      [last, builder.initializer('fc.weight', take([2, units])), builder.initializer('fc.bias', take([2]))],
      ['logits'],
      [attribute.int('transB', 1)],
    )[0];
    builder.node('Sigmoid', 'sigmoid', [logits], [{ exact: output }]);
    const bytes = encodeModel({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'test',
      graph: builder.build('torch_like'),
    });

    const input = randomFloats([2, 6, features], 73);
    const { y: expected } = await runOnnxRuntime(bytes, { x: input });
    const imported = importOnnx(bytes);
    expect(imported.notSequentialReason).toBeNull();
    expect(
      imported.spec?.layers.map((layer) => [layer.kind, layer.config.returnSequences, layer.config.activation]),
    ).toEqual([
      ['LSTM', false, 'tanh'],
      ['Dense', undefined, 'sigmoid'],
    ]);
    expectClose(
      imported.toSequential({ backend: tsBackend() }).predict({ shape: input.shape, values: input.values }),
      expected,
    );
  });

  it('refuses what a Sequential cannot express, naming the node', () => {
    const reason = (layers: Layer[]) => importOnnx(withoutSpec(exportOnnx(buildModel(layers, 74)))).notSequentialReason;
    expect(reason([new LSTM({ units: 2, goBackwards: true, returnSequences: true, inputShape: [null, 3] })])).toBe(
      "not a Sequential chain: node 'lstm/Squeeze' (Squeeze) reads Y of node 'lstm/LSTM' (LSTM) (direction reverse), which ONNX gives in time order; Recur's goBackwards layers return the processed (reversed) order",
    );
    expect(
      reason([
        new Embedding({ inputDim: 5, outputDim: 2, maskZero: true, inputShape: [null] }),
        new LSTM({ units: 2 }),
      ]),
    ).toBe(
      "not a Sequential chain: 'input/time_major' feeds node 'embedding/Equal' (Equal) after the chain went on through another node; a Sequential model does not branch",
    );
    expect(reason([new Masking({ inputShape: [null, 3] }), new LSTM({ units: 2 })])).toBe(
      "not a Sequential chain: node 'masking/Sub' (Sub) is not a layer of a Recur Sequential model, nor exporter plumbing Recur recognises",
    );
  });
});
