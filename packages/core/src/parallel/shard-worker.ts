import { Worker } from 'node:worker_threads';
import { RecurError } from '../errors.js';
import type { TrainerMessage, WorkerReply } from './data-parallel-protocol.js';

/**
 * The worker entry beside this file: `.js` in the built package, `.ts` when the package runs
 * from its TypeScript sources (tests), where the worker then needs a TypeScript loader in
 * `execArgv`.
 */
const WORKER_ENTRY = new URL(
  `./data-parallel-worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`,
  import.meta.url,
);

/**
 * The trainer's handle on one worker thread: one request in flight at a time, its reply as a
 * promise. A `failed` reply, an uncaught error in the thread or its unexpected exit rejects the
 * request with an error naming the worker. Between requests the thread is unref'd, so an idle
 * trainer that was never closed does not keep the process alive.
 */
export class ShardWorker {
  private readonly worker: Worker;
  private pending: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | null = null;
  private broken: Error | null = null;

  constructor(
    readonly label: string,
    execArgv: readonly string[] | undefined,
  ) {
    this.worker = new Worker(WORKER_ENTRY, execArgv === undefined ? {} : { execArgv: [...execArgv] });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => {
      const pending = this.pending;
      this.pending = null;
      this.worker.unref();
      if (reply.type === 'failed')
        pending?.reject(new RecurError(`Data-parallel ${this.label} failed: ${reply.message}`));
      else pending?.resolve(reply);
    });
    this.worker.on('error', (error: Error) =>
      this.fail(new RecurError(`Data-parallel ${this.label} crashed: ${error.message}`)),
    );
    this.worker.on('exit', (code) =>
      this.fail(new RecurError(`Data-parallel ${this.label} exited (code ${code}) before answering.`)),
    );
  }

  /** Sends one message and resolves to the reply; `transfer` lists buffers moved, not copied. */
  request(message: TrainerMessage, transfer: readonly ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.broken !== null) return Promise.reject(this.broken);
    if (this.pending !== null)
      return Promise.reject(new RecurError(`Data-parallel ${this.label} is busy: one request at a time.`));
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.ref();
      this.worker.postMessage(message, [...transfer]);
    });
  }

  /** Stops the thread; a request still waiting is rejected. */
  async terminate(): Promise<void> {
    this.fail(new RecurError(`Data-parallel ${this.label} was terminated.`));
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.broken ??= error;
    const pending = this.pending;
    this.pending = null;
    pending?.reject(error);
  }
}
