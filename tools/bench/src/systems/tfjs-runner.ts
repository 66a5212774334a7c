import type * as Tfjs from '@tensorflow/tfjs';
import type { WorkloadData } from '../workload-data.js';
import { STREAM_STEPS_PER_CALL, STREAM_VECTORS, type Workload } from '../workloads.js';
import type { RunnerFactory, SystemRunner } from './system-runner.js';

type Tf = typeof Tfjs;

/** Loads TensorFlow.js and makes `backend` the active one (wasm: one thread). */
export async function loadTfjs(backend: 'cpu' | 'wasm'): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs');
  if (backend === 'wasm') {
    // Importing the wasm package registers its backend; in Node it reads its .wasm files from
    // its own folder. One thread, as every other system here.
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setThreadsCount(1);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js could not start its '${backend}' backend.`);
  await tf.ready();
  return tf;
}

/**
 * The LSTM options every tfjs model here uses: logistic gates (tfjs-layers defaults to hard
 * sigmoid) and glorotUniform recurrent weights (its orthogonal default takes minutes at H = 256
 * on the cpu backend), as `workloads.md` prescribes.
 */
function lstmOptions(units: number): {
  units: number;
  recurrentActivation: 'sigmoid';
  recurrentInitializer: 'glorotUniform';
} {
  return { units, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' };
}

/** The workload's Keras model in tfjs-layers, compiled with its loss and optimizer. */
function trainableModel(tf: Tf, workload: Workload): Tfjs.LayersModel {
  const model = tf.sequential();
  switch (workload.name) {
    case 'charlm':
      model.add(tf.layers.lstm({ ...lstmOptions(128), inputShape: [40, 64] }));
      model.add(tf.layers.dense({ units: 64, activation: 'softmax' }));
      model.compile({ optimizer: tf.train.rmsprop(0.01, 0.9, 0, 1e-7), loss: 'categoricalCrossentropy' });
      break;
    case 'sentiment':
      model.add(tf.layers.embedding({ inputDim: 20000, outputDim: 128, inputLength: 80 }));
      model.add(tf.layers.lstm(lstmOptions(128)));
      model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
      model.compile({ optimizer: tf.train.adam(0.001, 0.9, 0.999, 1e-7), loss: 'binaryCrossentropy' });
      break;
    case 'timeseries':
      model.add(tf.layers.lstm({ ...lstmOptions(50), inputShape: [50, 1] }));
      model.add(tf.layers.dense({ units: 1 }));
      model.compile({ optimizer: tf.train.adam(0.001, 0.9, 0.999, 1e-7), loss: 'meanSquaredError' });
      break;
    case 'stream':
      throw new Error('The stream workload has no training model.');
  }
  return model;
}

/**
 * Two LSTM(256) layers as a functional model whose inputs and outputs include both layers'
 * h and c, so one `predict` is one step and the caller carries the state (Keras's way of
 * running a stateful loop without `stateful: true`).
 */
function streamModel(tf: Tf): Tfjs.LayersModel {
  const x = tf.input({ shape: [1, 64] });
  const state = () => tf.input({ shape: [256] });
  const [h1, c1, h2, c2] = [state(), state(), state(), state()];
  const first = tf.layers.lstm({ ...lstmOptions(256), returnSequences: true, returnState: true });
  const [y1, h1Next, c1Next] = first.apply(x, { initialState: [h1, c1] }) as Tfjs.SymbolicTensor[];
  const second = tf.layers.lstm({ ...lstmOptions(256), returnState: true });
  const [y2, h2Next, c2Next] = second.apply(y1, { initialState: [h2, c2] }) as Tfjs.SymbolicTensor[];
  return tf.model({ inputs: [x, h1, c1, h2, c2], outputs: [y2, h1Next, c1Next, h2Next, c2Next] });
}

function tfjsRunner(backend: 'cpu' | 'wasm'): RunnerFactory {
  return async (workload: Workload, data: WorkloadData): Promise<SystemRunner> => {
    const tf = await loadTfjs(backend);
    const unsupported = () => null;
    if (workload.name === 'stream') {
      const model = streamModel(tf);
      let state = [0, 1, 2, 3].map(() => tf.zeros([1, 256]));
      let k = 0;
      return {
        unsupported,
        call(): void {
          for (let step = 0; step < STREAM_STEPS_PER_CALL; step++, k = (k + 1) % STREAM_VECTORS) {
            const x = tf.tensor3d(data.x.values.subarray(k * 64, (k + 1) * 64) as Float32Array, [1, 1, 64]);
            const [y, ...next] = model.predict([x, ...state]) as Tfjs.Tensor[];
            y.dataSync();
            tf.dispose([x, y, ...state]);
            state = next;
          }
        },
      };
    }
    const model = trainableModel(tf, workload);
    const x =
      data.x.values instanceof Int32Array
        ? tf.tensor(data.x.values, [...data.x.shape], 'int32')
        : tf.tensor(data.x.values, [...data.x.shape]);
    const y = tf.tensor(data.y!.values, [...data.y!.shape]);
    return {
      unsupported,
      async call(metric): Promise<void> {
        if (metric === 'train') {
          // trainOnBatch resolves to the loss, read back from the backend.
          await model.trainOnBatch(x, y);
        } else {
          const output = model.predict(x) as Tfjs.Tensor;
          output.dataSync();
          output.dispose();
        }
      },
    };
  };
}

/** TensorFlow.js layers on its pure-JavaScript cpu backend. */
export const tfjsCpuRunner = tfjsRunner('cpu');

/** TensorFlow.js layers on its WebAssembly backend (SIMD, one thread). */
export const tfjsWasmRunner = tfjsRunner('wasm');
