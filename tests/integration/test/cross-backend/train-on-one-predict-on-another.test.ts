import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import {
  Bidirectional,
  Dense,
  Dropout,
  Embedding,
  GRU,
  LSTM,
  Masking,
  RandomGenerator,
  Sequential,
  SimpleRNN,
  modelFromArtifacts,
  modelToArtifacts,
  type KernelBackend,
  type TensorData,
} from '@recur/core';
import { tsBackend } from '@recur/backend-ts';
import { tfjsBackend } from '@recur/backend-tfjs';
import { toTfjsLayersModel } from '@recur/keras';
import { exportOnnx } from '@recur/onnx';

/**
 * One model definition, trained a few steps on one backend, predicts the same numbers
 * (within 1e-5) on the other backend, in ONNX Runtime after export, and in tfjs-layers itself
 * after writing it in the tfjs Layers format. ONNX Runtime and tfjs-layers are outside code, so
 * they check both Recur backends, not only their agreement.
 */

const TOLERANCE = 1e-5;

/** A character-level text model: token ids in, next-token probabilities out. */
function textModel(): Sequential {
  return new Sequential([
    new Embedding({ inputDim: 16, outputDim: 6, inputShape: [8] }),
    new LSTM({ units: 8, returnSequences: true }),
    new Dropout({ rate: 0.2 }),
    new LSTM({ units: 6 }),
    new Dense({ units: 5, activation: 'softmax' }),
  ]);
}

/** A float-sequence regressor with every recurrent kind and Keras 3's GRU (resetAfter: true). */
function signalModel(): Sequential {
  return new Sequential([
    new Masking({ inputShape: [7, 3] }),
    new Bidirectional({ layer: new GRU({ units: 4, returnSequences: true }) }),
    new LSTM({ units: 5, returnSequences: true, recurrentDropout: 0.1 }),
    new SimpleRNN({ units: 3 }),
    new Dense({ units: 2 }),
  ]);
}

function textData(seed: number): { x: TensorData; y: TensorData } {
  const random = new RandomGenerator(seed);
  return {
    x: { shape: [12, 8], values: Int32Array.from({ length: 96 }, () => random.integer(16)) },
    y: { shape: [12], values: Int32Array.from({ length: 12 }, () => random.integer(5)) },
  };
}

function signalData(seed: number): { x: TensorData; y: TensorData } {
  const random = new RandomGenerator(seed);
  const x = Float32Array.from({ length: 10 * 7 * 3 }, () => 2 * random.uniform() - 1);
  x.fill(0, 5 * 3, 7 * 3); // the first sequence ends with two padding steps
  return {
    x: { shape: [10, 7, 3], values: x },
    y: { shape: [10, 2], values: Float32Array.from({ length: 20 }, () => random.uniform()) },
  };
}

type Example = {
  name: string;
  make: () => Sequential;
  data: (seed: number) => { x: TensorData; y: TensorData };
  loss: 'sparse_categorical_crossentropy' | 'mse';
};

const EXAMPLES: Example[] = [
  {
    name: 'Embedding + LSTM + Dropout + LSTM + Dense(softmax)',
    make: textModel,
    data: textData,
    loss: 'sparse_categorical_crossentropy',
  },
  {
    name: 'Masking + Bidirectional(GRU) + LSTM(recurrent dropout) + SimpleRNN + Dense',
    make: signalModel,
    data: signalData,
    loss: 'mse',
  },
];

const BACKENDS: Record<'tfjs' | 'ts', () => KernelBackend> = { tfjs: () => tfjsBackend({ tf }), ts: () => tsBackend() };

/** Trains `example` for three epochs (dropout on) on one backend and checks the weights moved. */
async function trainOn(backendName: 'tfjs' | 'ts', example: Example): Promise<Sequential> {
  const model = example.make();
  model.compile({ optimizer: 'adam', loss: example.loss, backend: BACKENDS[backendName](), seed: 5 });
  const initial = model.getWeights();
  const { x, y } = example.data(1);
  await model.fit(x, y, { epochs: 3, batchSize: 4, shuffle: true });
  const moved = [...model.getWeights()].some(([name, data]) =>
    data.values.some((value, k) => value !== initial.get(name)!.values[k]),
  );
  expect(moved, 'training changed the weights').toBe(true);
  return model;
}

function maxDifference(a: TensorData, b: ArrayLike<number>): number {
  let worst = 0;
  for (let k = 0; k < a.values.length; k++) worst = Math.max(worst, Math.abs(a.values[k] - b[k]));
  return worst;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

for (const example of EXAMPLES) {
  for (const [from, to] of [
    ['tfjs', 'ts'],
    ['ts', 'tfjs'],
  ] as const) {
    describe(`${example.name}: trained on ${from}`, () => {
      let trained: Sequential;
      const probe = example.data(2).x;
      beforeAll(async () => {
        trained = await trainOn(from, example);
      });
      afterAll(() => trained.dispose());

      it(`predicts the same on ${to} after getWeights / setWeights`, () => {
        const other = example.make().build({ backend: BACKENDS[to](), seed: 99 });
        other.setWeights(trained.getWeights());
        const expected = trained.predict(probe);
        const got = other.predict(probe);
        expect(got.shape).toEqual(expected.shape);
        expect(maxDifference(got, expected.values)).toBeLessThanOrEqual(TOLERANCE);
        other.dispose();
      });

      it(`predicts the same on ${to} after save and load (artifacts)`, () => {
        const loaded = modelFromArtifacts(modelToArtifacts(trained), { backend: BACKENDS[to]() });
        expect(maxDifference(loaded.predict(probe), trained.predict(probe).values)).toBeLessThanOrEqual(TOLERANCE);
        loaded.dispose();
      });

      it('predicts the same in ONNX Runtime after exportOnnx', async () => {
        const session = await InferenceSession.create(exportOnnx(trained));
        const input =
          probe.values instanceof Int32Array
            ? new OrtTensor('int32', probe.values, [...probe.shape])
            : new OrtTensor('float32', probe.values, [...probe.shape]);
        const { output } = await session.run({ input });
        await session.release();
        const expected = trained.predict(probe);
        expect([...output.dims]).toEqual(expected.shape);
        expect(maxDifference(expected, output.data as Float32Array)).toBeLessThanOrEqual(TOLERANCE);
      });

      if (example.make === textModel) {
        it('predicts the same in tfjs-layers after toTfjsLayersModel', async () => {
          const tfModel = await tf.loadLayersModel(tf.io.fromMemory(toTfjsLayersModel(trained)));
          const predicted = tf.tidy(() =>
            (tfModel.predict(tf.tensor(Array.from(probe.values), [...probe.shape], 'int32')) as tf.Tensor).dataSync(),
          );
          expect(maxDifference(trained.predict(probe), predicted)).toBeLessThanOrEqual(TOLERANCE);
          tfModel.dispose();
        });
      }
    });
  }
}
