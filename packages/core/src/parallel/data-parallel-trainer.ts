import type { DataLike, TensorData } from '../data/tensor-data.js';
import { ValueError } from '../errors.js';
import type { Sequential } from '../models/sequential.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../variables/variable.js';
import { checkOptionNames, positiveInteger } from '../option-checks.js';
import type { History } from '../training/callbacks/history.js';
import type { TrainingSetup } from '../training/compile.js';
import { compiledSetup } from '../training/evaluate.js';
import { fitWithStep, type FitOptions } from '../training/fit.js';
import { resolveLoss } from '../training/losses/resolve-loss.js';
import type { StepResult } from '../training/train-step.js';
import { prepareData } from '../training/training-data.js';
import { combineShards, combinedGradientTensors } from './combine-shards.js';
import { computeShard } from './compute-shard.js';
import type { ShardResult, ShardTask, WorkerBackendSpec } from './data-parallel-protocol.js';
import { shardBatch } from './shard-batch.js';
import { ShardWorker } from './shard-worker.js';
import { WeightSync, updateBuffers, type RowChange } from './weight-sync.js';

export interface DataParallelOptions {
  /** Threads computing shards: the main thread plus `threads - 1` worker threads. Default 2. */
  readonly threads?: number;
  /**
   * Shards every batch is split into. The shard count, not the thread count, defines the
   * numbers: the same `shards` on 1 thread or on 2 gives bit-identical training. Default `threads`.
   */
  readonly shards?: number;
  /** How each worker creates its backend; required when `threads > 1`. */
  readonly backend?: WorkerBackendSpec;
  /** Node options for the worker threads (Node's `Worker` `execArgv`), e.g. `--import` of a loader. */
  readonly execArgv?: readonly string[];
}

const OPTION_NAMES = ['threads', 'shards', 'backend', 'execArgv'];

/**
 * Design: synchronous data-parallel training over Node worker threads, defined so that the
 * thread count never changes a number. Every step splits the batch into a fixed number of shards
 * (`shardBatch`: consecutive rows, one dropout seed per shard drawn from the model's generator in
 * shard order); shard s runs on thread `s mod threads` (thread 0 is the main thread, which
 * computes its shards while the workers compute theirs); each shard's forward, loss and
 * gradients are computed by the same code (`computeShard`) with the generator set to the
 * shard's seed; the main thread combines the gradients weighted by each shard's share of the
 * loss denominator, in shard order (`combineShards`, exact batch-mean semantics, masks
 * included), and applies the one optimizer update. Weights travel to the workers before every
 * step as one transferred Float32Array; the workers keep no optimizer, so optimizer state lives
 * in one place and checkpoints, `getState` and learning-rate changes work as without threads.
 *
 * @example
 * const trainer = await DataParallelTrainer.start(model, { threads: 2, backend: { module: import.meta.resolve('@recur/backend-ts'), factory: 'tsBackend' } });
 * try {
 *   await trainer.fit(x, y, { epochs: 5, batchSize: 128 });
 * } finally {
 *   await trainer.close();
 * }
 */
export class DataParallelTrainer {
  private closed = false;
  private readonly sync: WeightSync;

  private constructor(
    readonly model: Sequential,
    readonly threads: number,
    readonly shards: number,
    private readonly workers: readonly ShardWorker[],
  ) {
    this.sync = new WeightSync(workers.length);
  }

  /** Checks the options, starts `threads - 1` workers and waits until each holds the model. */
  static async start(model: Sequential, options: DataParallelOptions = {}): Promise<DataParallelTrainer> {
    if (options === null || typeof options !== 'object')
      throw new ValueError(
        'DataParallelTrainer: options must be an object, e.g. { threads: 2, backend: { module, factory } }.',
      );
    checkOptionNames('DataParallelTrainer', options, OPTION_NAMES);
    const setup = compiledSetup(model, 'DataParallelTrainer');
    if (model.trainableWeights.length === 0)
      throw new ValueError(`DataParallelTrainer: model '${model.name}' has no trainable weights.`);
    const threads = positiveInteger('DataParallelTrainer', 'threads', options.threads ?? 2);
    const shards = positiveInteger('DataParallelTrainer', 'shards', options.shards ?? threads);
    if (shards < threads) {
      throw new ValueError(
        `DataParallelTrainer: shards (${shards}) is less than threads (${threads}), so ${threads - shards} thread(s) would idle; use shards >= threads.`,
      );
    }
    const workers: ShardWorker[] = [];
    if (threads > 1) {
      const backend = checkBackendSpec(options.backend);
      const loss = transferableLoss(setup);
      for (let k = 1; k < threads; k++) workers.push(new ShardWorker(`worker ${k}`, options.execArgv));
      const init = { type: 'init', spec: model.spec(), backend, backendName: model.engine.backend.name, loss } as const;
      const replies = await Promise.allSettled(workers.map((worker) => worker.request(init)));
      const failure = replies.find((reply) => reply.status === 'rejected');
      if (failure !== undefined) {
        await Promise.all(workers.map((worker) => worker.terminate()));
        throw failure.reason;
      }
    }
    return new DataParallelTrainer(model, threads, shards, workers);
  }

  /**
   * Keras `fit` (same options, callbacks and logs) with every batch computed data-parallel.
   *
   * @example
   * const history = await trainer.fit(x, y, { epochs: 10, batchSize: 64, validationSplit: 0.1 });
   */
  fit(x: DataLike, y: DataLike, options: FitOptions = {}): Promise<History> {
    this.checkOpen('fit');
    return fitWithStep(this.model, x, y, options, (_, setup, xBatch, yBatch) => this.step(setup, xBatch, yBatch));
  }

  /**
   * One data-parallel optimizer step on one batch, returning the batch's loss.
   *
   * @example
   * const loss = await trainer.trainOnBatch(xBatch, yBatch);
   */
  async trainOnBatch(x: DataLike, y: DataLike): Promise<number> {
    this.checkOpen('trainOnBatch');
    const setup = compiledSetup(this.model, 'trainOnBatch');
    const batch = prepareData(this.model, setup.loss, x, y, { x: 'x', y: 'y' });
    return (await this.step(setup, batch.x, batch.y)).loss;
  }

  /**
   * Terminates the worker threads. The model keeps its trained weights on the main thread.
   *
   * @example
   * await trainer.close();
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private async step(setup: TrainingSetup, x: TensorData, y: TensorData): Promise<StepResult> {
    this.checkOpen('a training step');
    const model = this.model;
    const tasks = shardBatch(x, y, this.shards, model.random);
    const perThread = Array.from({ length: this.threads }, (_, thread) =>
      tasks.filter((task) => task.index % this.threads === thread),
    );
    try {
      // The workers start first, so their shards overlap with the main thread's.
      const remote = Promise.all(this.workers.map((_, k) => this.requestShards(k, perThread[k + 1])));
      remote.catch(() => undefined); // awaited below; a main-thread error comes first otherwise
      const local = perThread[0].map((task) => computeShard(model, setup, task));
      const results = [...local, ...(await remote).flat()].sort((a, b) => a.index - b.index);
      const weights = model.trainableWeights;
      const combined = combineShards(
        results,
        weights.map((weight) => weight.shape),
        y,
        setup.loss.labelKind,
      );
      const before = new Map(weights.map((weight) => [weight, weight.value]));
      model.engine.tidy(() =>
        setup.optimizer.apply(
          combinedGradientTensors(
            model.engine,
            combined,
            weights.map((weight) => weight.shape),
          ),
          weights,
        ),
      );
      this.sync.recordStep(lazyRowChanges(setup, before));
      return combined.step;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  private async requestShards(index: number, shards: readonly ShardTask[]): Promise<ShardResult[]> {
    if (shards.length === 0) return [];
    const worker = this.workers[index];
    const weights = this.sync.updatesFor(index, this.model.weights);
    const transfer = [
      ...updateBuffers(weights),
      ...shards.flatMap((task) => [task.x.values.buffer as ArrayBuffer, task.y.values.buffer as ArrayBuffer]),
    ];
    const reply = await worker.request({ type: 'step', weights, shards }, transfer);
    if (reply.type !== 'gradients')
      throw new ValueError(`Data-parallel ${worker.label} answered '${reply.type}' to a step.`);
    return [...reply.results];
  }

  private checkOpen(operation: string): void {
    if (this.closed)
      throw new ValueError(
        `DataParallelTrainer: ${operation} after close() (or after a failed step, which closes it); start a new trainer.`,
      );
  }
}

/** The weights the optimizer's latest step changed in some rows only (`sparseUpdates`), by the optimizer's own record. */
function lazyRowChanges(setup: TrainingSetup, before: ReadonlyMap<Variable, Tensor>): Map<Variable, RowChange> {
  const changes = new Map<Variable, RowChange>();
  for (const [weight, rows] of setup.optimizer.lazilyUpdatedRows) {
    changes.set(weight, { before: before.get(weight)!.id, after: weight.value.id, rows });
  }
  return changes;
}

function checkBackendSpec(spec: WorkerBackendSpec | undefined): WorkerBackendSpec {
  if (spec === undefined || spec === null || typeof spec.module !== 'string' || typeof spec.factory !== 'string') {
    throw new ValueError(
      "DataParallelTrainer: with threads > 1, 'backend' must say how a worker creates the model's backend, e.g. " +
        "{ module: import.meta.resolve('@recur/backend-ts'), factory: 'tsBackend' } (functions cannot cross threads).",
    );
  }
  checkOptionNames('DataParallelTrainer backend', spec, ['module', 'factory', 'options']);
  return spec;
}

/** Workers rebuild the loss from its name, so only built-in losses can cross threads. */
function transferableLoss(setup: TrainingSetup): string {
  let builtIn: unknown = null;
  try {
    builtIn = resolveLoss(setup.loss.name);
  } catch {
    // Not a built-in name: reported below.
  }
  if (builtIn !== setup.loss) {
    throw new ValueError(
      `DataParallelTrainer: the loss '${setup.loss.name}' is a custom Loss object, which cannot be sent to worker threads; compile with a built-in loss name (e.g. 'mse').`,
    );
  }
  return setup.loss.name;
}
