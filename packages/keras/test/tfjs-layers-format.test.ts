import { beforeAll, describe, expect, it } from 'vitest';
import {
  Activation,
  Bidirectional,
  Dense,
  Dropout,
  Embedding,
  GRU,
  LSTM,
  LSTMCell,
  Masking,
  RNN,
  RandomGenerator,
  Sequential,
  SimpleRNN,
  TimeDistributed,
  type Layer,
  type TensorData,
} from '@recur/core';
import * as tf from '@tensorflow/tfjs';
import { tsBackend } from '@recur/backend-ts';
import {
  fromTfjsLayersModel,
  fromTfjsModelFiles,
  loadTfjsLayersModel,
  toTfjsLayersModel,
  toTfjsModelFiles,
} from '../src/index.js';

/**
 * The tfjs Layers format in both directions. The reference is always tfjs itself: a model built
 * with tf.layers predicts with tfjs's own code, and Recur must match it within 1e-5 after
 * reading the saved artifacts; a model Recur writes must open in tf.loadLayersModel and predict
 * what Recur predicts.
 */

const TOLERANCE = 1e-5;

async function saveArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === null) throw new Error('model.save did not call the save handler');
  return saved;
}

/** Deterministic float inputs [N, ...shape] in [-1, 1). */
function floats(shape: number[], seed: number): TensorData {
  const random = new RandomGenerator(seed);
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * random.uniform() - 1);
  return { shape, values };
}

/** Deterministic token ids in [from, vocabulary). */
function ids(shape: number[], vocabulary: number, seed: number, from = 0): TensorData {
  const random = new RandomGenerator(seed);
  const values = Int32Array.from(
    { length: shape.reduce((a, b) => a * b, 1) },
    () => from + random.integer(vocabulary - from),
  );
  return { shape, values };
}

function tfPredict(model: tf.LayersModel, input: TensorData): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor(
      Array.from(input.values),
      [...input.shape],
      input.values instanceof Int32Array ? 'int32' : 'float32',
    );
    return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

function expectClose(got: TensorData, expected: Float32Array, expectedShape: readonly number[]): void {
  expect([...got.shape]).toEqual([...expectedShape]);
  let worst = 0;
  for (let k = 0; k < expected.length; k++) worst = Math.max(worst, Math.abs(got.values[k] - expected[k]));
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
}

/** tfjs model -> saved artifacts -> Recur on backend-ts; both predict `input`. */
async function expectImportMatches(tfModel: tf.LayersModel, input: TensorData): Promise<string[]> {
  const artifacts = await saveArtifacts(tfModel);
  const { model, notes } = loadTfjsLayersModel(artifacts, { backend: tsBackend() });
  const expected = tfPredict(tfModel, input);
  expectClose(
    model.predict(input),
    expected,
    (tfModel.outputs[0].shape as number[]).map((d, k) => (k === 0 ? input.shape[0] : d)),
  );
  tfModel.dispose();
  return notes;
}

/** Recur model -> artifacts -> tf.loadLayersModel; both predict `input`. */
async function expectExportMatches(layers: Layer[], input: TensorData, seed = 3): Promise<tf.io.ModelArtifacts> {
  const model = new Sequential(layers).build({ backend: tsBackend(), seed });
  const artifacts = toTfjsLayersModel(model);
  const tfModel = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const ours = model.predict(input);
  expectClose(ours, tfPredict(tfModel, input), ours.shape);
  tfModel.dispose();
  return artifacts;
}

beforeAll(async () => {
  if (!(await tf.setBackend('cpu'))) throw new Error("tfjs could not initialise its 'cpu' backend.");
  await tf.ready();
});

describe('reading tfjs Layers models into Recur', () => {
  it('Embedding + LSTM + Dense(softmax)', async () => {
    const tfModel = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 12, outputDim: 5, inputLength: 7 }),
        tf.layers.lstm({ units: 6, recurrentActivation: 'sigmoid' }),
        tf.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    expect(await expectImportMatches(tfModel, ids([3, 7], 12, 1))).toEqual([]);
  });

  it('Bidirectional(LSTM) concat with returnSequences, then Dense per step; and sum / ave / mul merges', async () => {
    for (const mergeMode of ['concat', 'sum', 'ave', 'mul'] as const) {
      const tfModel = tf.sequential({
        layers: [
          tf.layers.bidirectional({
            layer: tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid', returnSequences: true }) as tf.layers.RNN,
            mergeMode,
            inputShape: [6, 3],
          }),
          tf.layers.dense({ units: 2 }),
        ],
      });
      await expectImportMatches(tfModel, floats([2, 6, 3], 2));
    }
  });

  it('GRU (reset_after false, the only tfjs variant) and SimpleRNN', async () => {
    const gru = tf.sequential({
      layers: [
        tf.layers.gru({ units: 5, recurrentActivation: 'sigmoid', inputShape: [8, 3] }),
        tf.layers.dense({ units: 2 }),
      ],
    });
    await expectImportMatches(gru, floats([3, 8, 3], 3));
    const simple = tf.sequential({
      layers: [tf.layers.simpleRNN({ units: 4, activation: 'relu', inputShape: [5, 2] })],
    });
    await expectImportMatches(simple, floats([2, 5, 2], 4));
  });

  it('stacked returnSequences layers with Dropout and go_backwards in between', async () => {
    const tfModel = tf.sequential({
      layers: [
        tf.layers.lstm({ units: 5, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [6, 2] }),
        tf.layers.dropout({ rate: 0.3 }),
        tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid', returnSequences: true, goBackwards: true }),
        tf.layers.simpleRNN({ units: 3 }),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 2, activation: 'sigmoid' }),
      ],
    });
    await expectImportMatches(tfModel, floats([4, 6, 2], 5));
  });

  it('masked padding (Embedding maskZero, Masking) gives the same final outputs', async () => {
    const padded = ids([3, 6], 9, 6, 1);
    padded.values.fill(0, 4, 6); // the first sequence ends with two padding steps
    padded.values.fill(0, 6, 7); // the second starts with one
    const embedded = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 9, outputDim: 3, inputLength: 6, maskZero: true }),
        tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }),
      ],
    });
    await expectImportMatches(embedded, padded);
    const input = floats([2, 5, 3], 7);
    input.values.fill(0, 9, 15); // steps 3 and 4 of the first sequence are padding
    const masked = tf.sequential({
      layers: [
        tf.layers.masking({ maskValue: 0, inputShape: [5, 3] }),
        tf.layers.gru({ units: 3, recurrentActivation: 'sigmoid' }),
      ],
    });
    await expectImportMatches(masked, input);
  });

  it('TimeDistributed(Dense) and Activation', async () => {
    const tfModel = tf.sequential({
      layers: [
        tf.layers.simpleRNN({ units: 4, returnSequences: true, inputShape: [5, 3] }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }) }),
        tf.layers.activation({ activation: 'softmax' }),
      ],
    });
    const notes = await expectImportMatches(tfModel, floats([2, 5, 3], 8));
    expect(notes.join('\n')).toMatch(/TimeDistributed.*read as a Dense/);
  });

  it('reads model.json + weight files, sharded as the converter splits them', async () => {
    const tfModel = tf.sequential({
      layers: [
        tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid', inputShape: [4, 2] }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const { modelJson, weightFiles } = toTfjsModelFiles(await saveArtifacts(tfModel));
    // Split the one weight file into two shards, as `--weight_shard_size_bytes` would.
    const bytes = weightFiles.get('weights.bin')!;
    const shards = new Map([
      ['group1-shard1of2.bin', bytes.slice(0, 50)],
      ['group1-shard2of2.bin', bytes.slice(50)],
    ]);
    const sharded = {
      ...modelJson,
      weightsManifest: [
        { paths: ['./group1-shard1of2.bin', './group1-shard2of2.bin'], weights: modelJson.weightsManifest[0].weights },
      ],
    };
    const parsed = JSON.parse(JSON.stringify(sharded)) as tf.io.ModelJSON;
    const { model } = loadTfjsLayersModel(fromTfjsModelFiles(parsed, shards), { backend: tsBackend() });
    const input = floats([2, 4, 2], 9);
    expectClose(model.predict(input), tfPredict(tfModel, input), [2, 1]);
    expect(() => fromTfjsModelFiles(parsed, new Map([['group1-shard1of2.bin', bytes]]))).toThrow(
      /'\.\/group1-shard2of2\.bin', which was not given/,
    );
    tfModel.dispose();
  });

  it('dequantizes uint8 / uint16 / float16 weights as tfjs decodeWeights does', async () => {
    const tfModel = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
    const artifacts = await saveArtifacts(tfModel);
    const random = new RandomGenerator(10);
    const kernelBytes = Uint8Array.from({ length: 12 }, () => random.integer(256));
    // Random float16 bit patterns with exponent < 31 (finite numbers).
    const biasBits = Uint16Array.from({ length: 3 }, () => random.integer(0x7c00) | (random.integer(2) << 15));
    for (const [kernelDtype, kernelData] of [
      ['uint8', kernelBytes],
      ['uint16', new Uint8Array(new Uint16Array(Array.from(kernelBytes, (b) => b * 200)).buffer)],
    ] as const) {
      const weightSpecs: tf.io.WeightsManifestEntry[] = [
        {
          name: artifacts.weightSpecs![0].name,
          shape: [4, 3],
          dtype: 'float32',
          quantization: { dtype: kernelDtype, scale: 0.0123, min: -0.7 },
        },
        { name: artifacts.weightSpecs![1].name, shape: [3], dtype: 'float32', quantization: { dtype: 'float16' } },
      ];
      const weightData = new Uint8Array([...kernelData, ...new Uint8Array(biasBits.buffer)]).buffer;
      const reference = tf.io.decodeWeights(weightData, weightSpecs);
      const { weights } = fromTfjsLayersModel({ ...artifacts, weightSpecs, weightData });
      for (const { name: tfName } of weightSpecs) {
        const recurName = [...weights.keys()].find((key) => key.endsWith(tfName.slice(tfName.lastIndexOf('/'))))!;
        expect(Array.from(weights.get(recurName)!.values)).toEqual(Array.from(reference[tfName].dataSync()));
      }
      Object.values(reference).forEach((tensor) => tensor.dispose());
    }
    tfModel.dispose();
  });

  it('reads camelCase configs (getConfig style) and Keras-converted topologies (model_config, InputLayer, cell weight names)', async () => {
    const tfModel = tf.sequential({
      layers: [tf.layers.gru({ units: 3, recurrentActivation: 'sigmoid', inputShape: [4, 2], name: 'gru' })],
    });
    const artifacts = await saveArtifacts(tfModel);
    const input = floats([2, 4, 2], 11);
    const expected = tfPredict(tfModel, input);
    const camel = {
      ...artifacts,
      modelTopology: {
        className: 'Sequential',
        config: { name: 'm', layers: [{ className: 'GRU', config: { ...tfModel.layers[0].getConfig() } }] },
        kerasVersion: 'tfjs-layers 4.22.0',
      },
    };
    expectClose(loadTfjsLayersModel(camel, { backend: tsBackend() }).model.predict(input), expected, [2, 3]);
    // What tensorflowjs_converter writes from a Keras 2 .h5 file: a model_config wrapper, an
    // InputLayer, and the cell's name inside the weight names.
    const { reset_after: _resetAfter, ...kerasGru } = (
      artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }
    ).config.layers[0].config;
    const converted = {
      ...artifacts,
      modelTopology: JSON.parse(
        JSON.stringify({
          keras_version: '2.15.0',
          backend: 'tensorflow',
          model_config: {
            class_name: 'Sequential',
            config: {
              name: 'sequential',
              layers: [
                { class_name: 'InputLayer', config: { batch_input_shape: [null, 4, 2], name: 'input_1' } },
                { class_name: 'GRU', config: { ...kerasGru, batch_input_shape: undefined } },
              ],
            },
          },
          training_config: { loss: 'mse' },
        }),
      ) as object,
      weightSpecs: artifacts.weightSpecs!.map((spec) => ({
        ...spec,
        name: spec.name.replace('gru/', 'gru/gru_cell/'),
      })),
    };
    // reset_after is absent: read from the bias, which tfjs stores as [3H] (reset_after false).
    expectClose(loadTfjsLayersModel(converted, { backend: tsBackend() }).model.predict(input), expected, [2, 3]);
    tfModel.dispose();
  });
});

describe('refusing what Recur cannot reproduce', () => {
  it("tfjs's default hard_sigmoid gates: the message gives both formulas", async () => {
    const tfModel = tf.sequential({ layers: [tf.layers.lstm({ units: 2, inputShape: [3, 2], name: 'gates' })] });
    const artifacts = await saveArtifacts(tfModel);
    expect(() => fromTfjsLayersModel(artifacts)).toThrow(
      /Layer 'gates' \(LSTM\) uses hard_sigmoid as written by tfjs-layers: .*clip\(0\.2x \+ 0\.5, 0, 1\).*clip\(x \/ 6 \+ 0\.5, 0, 1\).*recurrentActivation: 'sigmoid'/,
    );
    tfModel.dispose();
  });

  it('unsupported layer classes, functional models, stateful layers, missing options and stray weights', async () => {
    const conv = tf.sequential({
      layers: [tf.layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [5, 3], name: 'conv' }), tf.layers.flatten()],
    });
    expect(() => fromTfjsLayersModel(artifacts(conv))).toThrow(/Layer 'conv' is a Conv1D, which Recur cannot import/);
    conv.dispose();

    const lstm = tf.sequential({
      layers: [tf.layers.lstm({ units: 2, recurrentActivation: 'sigmoid', inputShape: [3, 2], name: 'l' })],
    });
    const saved = await saveArtifacts(lstm);
    const withConfig = (change: (config: Record<string, unknown>) => void): tf.io.ModelArtifacts => {
      const copy = JSON.parse(JSON.stringify(saved.modelTopology)) as {
        config: { layers: { config: Record<string, unknown> }[] };
      };
      change(copy.config.layers[0].config);
      return { ...saved, modelTopology: copy };
    };
    expect(() => fromTfjsLayersModel(withConfig((config) => delete config.recurrent_activation))).toThrow(
      /Layer 'l' \(LSTM\) does not say its 'recurrent_activation'\. tfjs defaults it to hard_sigmoid and Keras 3 to sigmoid/,
    );
    expect(() => fromTfjsLayersModel(withConfig((config) => (config.stateful = true)))).toThrow(
      /Layer 'l' \(LSTM\): stateful = true is not supported/,
    );
    expect(() => fromTfjsLayersModel(withConfig((config) => (config.activation = 'selu')))).toThrow(
      /Layer 'l' \(LSTM\) uses the activation 'selu'/,
    );
    expect(() =>
      fromTfjsLayersModel({
        ...saved,
        modelTopology: { ...(saved.modelTopology as object), class_name: 'Functional' },
      }),
    ).toThrow(/Recur imports Sequential Layers models only/);
    expect(() =>
      fromTfjsLayersModel({
        ...saved,
        weightSpecs: saved.weightSpecs!.slice(0, 2),
        weightData: (saved.weightData as ArrayBuffer).slice(0, 4 * (2 * 8 + 2 * 8)),
      }),
    ).toThrow(/Layer 'l' needs 3 weight\(s\) \(kernel, recurrent_kernel, bias\) but the weight manifest holds 2/);
    expect(() => fromTfjsLayersModel({ ...saved, weightData: (saved.weightData as ArrayBuffer).slice(0, 40) })).toThrow(
      /a weight file is missing or truncated/,
    );
    const extraData = new Uint8Array((saved.weightData as ArrayBuffer).byteLength + 4);
    extraData.set(new Uint8Array(saved.weightData as ArrayBuffer));
    const extraSpecs: tf.io.WeightsManifestEntry[] = [
      ...saved.weightSpecs!,
      { name: 'other/kernel', shape: [1], dtype: 'float32' },
    ];
    expect(() => fromTfjsLayersModel({ ...saved, weightSpecs: extraSpecs, weightData: extraData.buffer })).toThrow(
      /weight\(s\) no layer of the topology owns: other\/kernel/,
    );
    expect(() =>
      fromTfjsLayersModel({ ...saved, modelTopology: { ...(saved.modelTopology as object), config: { layers: [] } } }),
    ).toThrow(/The Sequential topology has no layers/);
    lstm.dispose();
  });

  it('a Keras 3 file keeps hard_sigmoid (same formula as Recur); a Keras 2 one is refused', async () => {
    const tfModel = tf.sequential({
      layers: [
        tf.layers.simpleRNN({ units: 2, inputShape: [3, 2], name: 'r' }),
        tf.layers.activation({ activation: 'hardSigmoid', name: 'a' }),
      ],
    });
    const saved = await saveArtifacts(tfModel);
    const keras3 = fromTfjsLayersModel({
      ...saved,
      modelTopology: { ...(saved.modelTopology as object), keras_version: '3.3.3' },
    });
    expect(keras3.spec.layers[1]).toEqual({ kind: 'Activation', config: { activation: 'hard_sigmoid', name: 'a' } });
    expect(() =>
      fromTfjsLayersModel({ ...saved, modelTopology: { ...(saved.modelTopology as object), keras_version: '2.15.0' } }),
    ).toThrow(/Layer 'a' \(Activation\) uses hard_sigmoid as written by Keras 2/);
    tfModel.dispose();
  });
});

/** The artifacts of a model whose config alone matters (it is refused before its weights are read). */
function artifacts(model: tf.LayersModel): tf.io.ModelArtifacts {
  return { modelTopology: model.toJSON(null, false) as object, weightSpecs: [], weightData: new ArrayBuffer(0) };
}

describe('writing Recur models for tfjs', () => {
  it('Embedding + LSTM + Dense(softmax): tf.loadLayersModel predicts the same', async () => {
    await expectExportMatches(
      [
        new Embedding({ inputDim: 11, outputDim: 4, inputShape: [6] }),
        new LSTM({ units: 5 }),
        new Dense({ units: 3, activation: 'softmax' }),
      ],
      ids([3, 6], 11, 12),
    );
  });

  it('Bidirectional(GRU resetAfter false), SimpleRNN, Dropout, TimeDistributed, Masking and an RNN(LSTMCell)', async () => {
    await expectExportMatches(
      [
        new Masking({ inputShape: [6, 3] }),
        new Bidirectional({ layer: new GRU({ units: 4, resetAfter: false, returnSequences: true }), mergeMode: 'ave' }),
        new Dropout({ rate: 0.25 }),
        new RNN({ cell: new LSTMCell({ units: 3, activation: 'softsign' }), returnSequences: true, goBackwards: true }),
        new TimeDistributed({ layer: new Dense({ units: 3, activation: 'relu' }) }),
        new SimpleRNN({ units: 2, activation: 'relu' }),
        new Activation({ activation: 'sigmoid' }),
      ],
      floats([3, 6, 3], 13),
    );
  });

  it('writes every option explicitly and round-trips through Recur with identical weights', async () => {
    const model = new Sequential([
      new LSTM({ units: 3, inputShape: [4, 2], returnSequences: true }),
      new Bidirectional({ layer: new LSTM({ units: 2 }) }),
    ]).build({
      backend: tsBackend(),
      seed: 4,
    });
    const written = toTfjsLayersModel(model);
    const layers = (written.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config
      .layers;
    expect(layers[0].config).toMatchObject({
      recurrent_activation: 'sigmoid',
      activation: 'tanh',
      unit_forget_bias: true,
      return_sequences: true,
      batch_input_shape: [null, 4, 2],
    });
    // Through tfjs and back: tfjs's own save of the loaded model reads into Recur unchanged.
    const tfModel = await tf.loadLayersModel(tf.io.fromMemory(written));
    const { model: back, notes } = loadTfjsLayersModel(await saveArtifacts(tfModel), { backend: tsBackend() });
    expect(notes).toEqual([]);
    expect([...back.getWeights().keys()]).toEqual([...model.getWeights().keys()]);
    for (const [name, data] of model.getWeights())
      expect(Array.from(back.getWeights().get(name)!.values)).toEqual(Array.from(data.values));
    tfModel.dispose();
  });

  it('refuses GRU resetAfter: true and hard_sigmoid, naming the layer', () => {
    const gru = new Sequential([new GRU({ units: 2, inputShape: [3, 1], name: 'g' })]).build({ backend: tsBackend() });
    expect(() => toTfjsLayersModel(gru)).toThrow(
      /Layer 'g' \(GRU\) is a GRU with resetAfter: true .* which tfjs-layers does not implement/,
    );
    const hard = new Sequential([
      new LSTM({ units: 2, recurrentActivation: 'hard_sigmoid', inputShape: [3, 1], name: 'h' }),
    ]).build({ backend: tsBackend() });
    expect(() => toTfjsLayersModel(hard)).toThrow(
      /Layer 'h' \(LSTM\) uses hard_sigmoid, which tfjs cannot represent: tfjs-layers and Keras 2 define hard_sigmoid as clip\(0\.2x/,
    );
    expect(() => toTfjsLayersModel(new Sequential([new Dense({ units: 1, inputShape: [2] })]))).toThrow(
      /has no weights yet/,
    );
    const peephole = new Sequential([new LSTM({ units: 2, peephole: true, inputShape: [3, 1], name: 'p' })]).build({
      backend: tsBackend(),
    });
    expect(() => toTfjsLayersModel(peephole)).toThrow(
      /Layer 'p' \(LSTM\) is an LSTM with peepholes, which tfjs-layers does not implement/,
    );
  });
});
