import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pythonWithTorch, type SystemInfo } from './systems/systems.js';
import type { HarnessMessage, WorkerMessage } from './worker-protocol.js';

const NODE_WORKER = fileURLToPath(new URL('./system-worker.js', import.meta.url));
const PYTHON_WORKER = fileURLToPath(new URL('../python/torch_worker.py', import.meta.url));

/** Raised when a worker does not answer within its time limit (it has been killed). */
export class WorkerTimeout extends Error {}

/**
 * The harness's handle on one system's worker process: send a message, await the one reply,
 * kill the process when it overruns its time limit. Only one request is in flight at a time.
 */
export class SystemProcess {
  private pending: { resolve: (message: WorkerMessage) => void; reject: (error: Error) => void } | null = null;
  private stderr = '';
  private exited = false;

  private constructor(
    readonly system: SystemInfo,
    private readonly child: ChildProcess,
    private readonly post: (message: HarnessMessage) => void,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      this.pending?.reject(
        new Error(
          `${system.name} worker exited (${signal ?? `code ${code}`}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`,
        ),
      );
      this.pending = null;
    });
  }

  static start(system: SystemInfo): SystemProcess {
    if (system.host.kind === 'node') {
      // stdout is dropped: libraries print greetings there. Timing happens inside the worker;
      // --expose-gc lets it collect before a memory snapshot (never inside a timed call).
      const child = fork(NODE_WORKER, [system.name], {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        execArgv: ['--expose-gc'],
      });
      const handle: SystemProcess = new SystemProcess(system, child, (message) => child.send(message));
      child.on('message', (message: WorkerMessage) => handle.receive(message));
      return handle;
    }
    const child = spawn(pythonWithTorch() ?? 'python3', ['-u', PYTHON_WORKER], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // One thread in every library PyTorch may call (OpenMP, OpenBLAS), not only its own pool.
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    });
    const handle: SystemProcess = new SystemProcess(system, child, (message) =>
      child.stdin!.write(`${JSON.stringify(message)}\n`),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) handle.receive(JSON.parse(line) as WorkerMessage);
    });
    return handle;
  }

  private receive(message: WorkerMessage): void {
    const pending = this.pending;
    this.pending = null;
    pending?.resolve(message);
  }

  /** Sends a message and resolves to the reply; kills the worker after `timeoutSeconds`. */
  request(message: HarnessMessage, timeoutSeconds: number): Promise<WorkerMessage> {
    if (this.exited) return Promise.reject(new Error(`${this.system.name} worker is not running.`));
    return new Promise<WorkerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        this.kill();
        reject(new WorkerTimeout(`no answer within ${timeoutSeconds.toFixed(0)} s`));
      }, timeoutSeconds * 1000);
      this.pending = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.post(message);
    });
  }

  get running(): boolean {
    return !this.exited;
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
