import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import type { KernelBackend } from '../backend/kernel-backend.js';
import { Sequential } from '../models/sequential.js';
import { resolveLoss } from '../training/losses/resolve-loss.js';
import type { LossSetup } from '../training/train-step.js';
import { computeShard } from './compute-shard.js';
import type { TrainerMessage, WorkerBackendSpec, WorkerReply } from './data-parallel-protocol.js';
import { applyWeightUpdates } from './weight-sync.js';

/**
 * The entry of a data-parallel worker thread. It holds a copy of the model (weights refreshed
 * from the trainer before every step) and computes the shards it is sent; it keeps no optimizer,
 * because the trainer applies the one update on the main thread. Requests come one at a time
 * and each gets one reply; any error is sent back as a `failed` reply naming it.
 */
let model: Sequential | null = null;
let setup: LossSetup | null = null;

async function handle(message: TrainerMessage): Promise<WorkerReply> {
  if (message.type === 'init') {
    const backend = await createBackend(message.backend);
    if (backend.name !== message.backendName) {
      throw new Error(
        `the backend made by ${message.backend.factory}() from '${message.backend.module}' is '${backend.name}', but the model is built on '${message.backendName}'; ` +
          "give dataParallel.backend a factory (and options) that creates the model's backend, so the shards compute the same numbers everywhere.",
      );
    }
    model = Sequential.fromSpec(message.spec).build({ backend });
    setup = { loss: resolveLoss(message.loss) };
    return { type: 'ready' };
  }
  if (model === null || setup === null) throw new Error("a 'step' arrived before 'init'.");
  applyWeightUpdates(model.engine, model.weights, message.weights);
  const worker = model;
  const workerSetup = setup;
  return { type: 'gradients', results: message.shards.map((task) => computeShard(worker, workerSetup, task)) };
}

async function createBackend(spec: WorkerBackendSpec): Promise<KernelBackend> {
  const specifier = isAbsolute(spec.module) ? pathToFileURL(spec.module).href : spec.module;
  let exports: Record<string, unknown>;
  try {
    exports = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(
      `cannot import the backend module '${spec.module}' (${(error as Error).message}). ` +
        "Pass an absolute URL, e.g. module: import.meta.resolve('@recur/backend-ts'), so the worker finds the package wherever @recur/core lives.",
    );
  }
  const factory = exports[spec.factory];
  if (typeof factory !== 'function') {
    const functions = Object.keys(exports).filter((name) => typeof exports[name] === 'function');
    throw new Error(
      `the backend module '${spec.module}' has no exported function '${spec.factory}' (it exports: ${functions.join(', ') || 'no functions'}).`,
    );
  }
  return (await (factory as (options: unknown) => KernelBackend | Promise<KernelBackend>)(
    spec.options,
  )) as KernelBackend;
}

const port = parentPort;
if (port === null)
  throw new Error('data-parallel-worker runs as a worker thread started by DataParallelTrainer, not as a script.');
// Messages are handled strictly one after another.
let queue = Promise.resolve();
port.on('message', (message: TrainerMessage) => {
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      reply = await handle(message);
    } catch (error) {
      reply = { type: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
    const transfer =
      reply.type === 'gradients' ? reply.results.map((result) => result.gradients.buffer as ArrayBuffer) : [];
    port.postMessage(reply, transfer);
  });
});
