import { Adam, Dense, Embedding, LSTM, RMSprop, SequenceStream, Sequential, type KernelBackend } from '@recur/core';
import type { WorkerBackendSpec } from '@recur/core/parallel';
import type { WorkloadData } from '../workload-data.js';
import { STREAM_STEPS_PER_CALL, STREAM_VECTORS, type Workload } from '../workloads.js';
import type { RunnerFactory, SystemRunner } from './system-runner.js';

/**
 * The workload's model in Recur, built on `backend` and, for the training workloads, compiled
 * with its loss and optimizer (Keras defaults otherwise).
 *
 * @example
 * const model = workloadModel(WORKLOADS.charlm, tsBackend());
 */
export function workloadModel(workload: Workload, backend: KernelBackend): Sequential {
  switch (workload.name) {
    case 'charlm':
      return new Sequential([
        new LSTM({ units: 128, inputShape: [40, 64] }),
        new Dense({ units: 64, activation: 'softmax' }),
      ]).compile({
        optimizer: new RMSprop({ learningRate: 0.01, rho: 0.9, epsilon: 1e-7 }),
        loss: 'categorical_crossentropy',
        backend,
      });
    case 'sentiment':
      return new Sequential([
        new Embedding({ inputDim: 20000, outputDim: 128, inputShape: [80] }),
        new LSTM({ units: 128 }),
        new Dense({ units: 1, activation: 'sigmoid' }),
      ]).compile({
        // Lazy Adam on the embedding (only the rows a batch looks up), as issue #7 asks: the full
        // update moves 75 MB of optimizer state per batch of 32.
        optimizer: new Adam({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, sparseUpdates: true }),
        loss: 'binary_crossentropy',
        backend,
      });
    case 'timeseries':
      return new Sequential([new LSTM({ units: 50, inputShape: [50, 1] }), new Dense({ units: 1 })]).compile({
        optimizer: new Adam({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
        loss: 'mean_squared_error',
        backend,
      });
    case 'stream':
      return new Sequential([
        new LSTM({ units: 256, returnSequences: true, inputShape: [null, 64] }),
        new LSTM({ units: 256 }),
      ]).build({ backend });
  }
}

/** A Recur system: the same model code on any KernelBackend. */
export function recurRunner(createBackend: () => Promise<KernelBackend>): RunnerFactory {
  return async (workload: Workload, data: WorkloadData): Promise<SystemRunner> => {
    const model = workloadModel(workload, await createBackend());
    const unsupported = () => null;
    if (workload.name === 'stream') {
      // The user's streaming call: one step of host data in, the top layer's h on the host out,
      // both layers' h and c carried.
      const stream = new SequenceStream(model);
      let k = 0;
      return {
        unsupported,
        call(): void {
          for (let count = 0; count < STREAM_STEPS_PER_CALL; count++, k = (k + 1) % STREAM_VECTORS) {
            stream.step({ values: data.x.values.subarray(k * 64, (k + 1) * 64), shape: [1, 64] });
          }
        },
      };
    }
    const setup = model.trainingSetup!;
    const engine = model.engine;
    // The batch is uploaded once, as for every system: no data loading is measured.
    const x = engine.tensor(data.x.values, data.x.shape, model.layers[0].inputDtype);
    const y = engine.tensor(data.y!.values, data.y!.shape, setup.loss.labelDtype);
    return {
      unsupported,
      call(metric): void {
        if (metric === 'train') model.trainOnBatch(x, y);
        // predict is the user's inference call: it takes host data and returns host data.
        else model.predict(data.x, { batchSize: workload.batch });
      },
    };
  };
}

/** `@recur/backend-ts` alone (pure TypeScript, one thread). */
async function pureTsBackend(): Promise<KernelBackend> {
  const { tsBackend } = await import('@recur/backend-ts');
  return tsBackend();
}

/** Recur on `@recur/backend-ts` (pure TypeScript, one thread). */
export const recurTsRunner = recurRunner(pureTsBackend);

/**
 * `@recur/backend-ts` decorated by `@recur/wasm-kernels` (WebAssembly SIMD, one thread): its
 * dense matrix products and the standard LSTM sequence in the module, everything else the same
 * TypeScript as `recur-ts`. Exported so that
 * data-parallel worker threads can create the same backend by module URL and export name.
 */
export async function wasmKernelsBackend(): Promise<KernelBackend> {
  const { tsBackend } = await import('@recur/backend-ts');
  const { loadWasmKernels, withWasmKernels } = await import('@recur/wasm-kernels');
  return withWasmKernels(tsBackend, await loadWasmKernels());
}

/** Recur on `@recur/backend-ts` with `@recur/wasm-kernels` (one thread). */
export const recurWasmRunner = recurRunner(wasmKernelsBackend);

/**
 * A Recur system training data-parallel on two threads (`DataParallelTrainer` from
 * `@recur/core/parallel`: the main thread and one worker, each computing one of two shards per
 * batch, one optimizer update on the main thread). `backend` tells the worker how to create the
 * same backend as the main thread's. Training only: inference and streaming have nothing to split.
 */
function recurTwoThreadRunner(createBackend: () => Promise<KernelBackend>, backend: WorkerBackendSpec): RunnerFactory {
  return async (workload: Workload, data: WorkloadData): Promise<SystemRunner> => {
    const unsupported = (metric: string) =>
      metric === 'train' ? null : 'data-parallel threads speed up training only; see the one-thread system';
    if (workload.name === 'stream') return { unsupported, call(): void {} };
    const model = workloadModel(workload, await createBackend());
    const { DataParallelTrainer } = await import('@recur/core/parallel');
    // The trainer's idle workers do not keep this process alive, so the harness's exit still ends it.
    const trainer = await DataParallelTrainer.start(model, { threads: 2, shards: 2, backend });
    return {
      unsupported,
      async call(): Promise<void> {
        await trainer.trainOnBatch(data.x, data.y!);
      },
    };
  };
}

/** `recur-ts` on two threads. */
export const recurTsTwoThreadRunner = recurTwoThreadRunner(pureTsBackend, {
  module: import.meta.resolve('@recur/backend-ts'),
  factory: 'tsBackend',
});

/** `recur-wasm` on two threads. */
export const recurWasmTwoThreadRunner = recurTwoThreadRunner(wasmKernelsBackend, {
  module: import.meta.url,
  factory: 'wasmKernelsBackend',
});

/** Recur on `@recur/backend-tfjs` over TensorFlow.js's cpu or wasm backend (one thread). */
export function recurTfjsRunner(tfjsBackendName: 'cpu' | 'wasm'): RunnerFactory {
  return recurRunner(async () => {
    const { loadTfjs } = await import('./tfjs-runner.js');
    const tf = await loadTfjs(tfjsBackendName);
    const { tfjsBackend } = await import('@recur/backend-tfjs');
    return tfjsBackend({ tf: tf as never });
  });
}
