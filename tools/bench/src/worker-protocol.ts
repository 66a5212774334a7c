import type { MetricName, WorkloadName } from './workloads.js';

/**
 * Messages between the harness and a system's worker process (Node over its IPC channel,
 * Python as JSON lines on stdin/stdout). The worker times its own calls, so the channel's
 * latency never enters a measurement.
 */
export type HarnessMessage =
  | { readonly type: 'setup'; readonly workload: WorkloadName; readonly data?: PortableData }
  | { readonly type: 'run'; readonly metric: MetricName; readonly calls: number }
  | { readonly type: 'memory' }
  | { readonly type: 'exit' };

export type WorkerMessage =
  | { readonly type: 'ready'; readonly unsupported: Partial<Record<MetricName, string>> }
  | { readonly type: 'times'; readonly seconds: readonly number[] }
  | { readonly type: 'failed'; readonly message: string }
  | ({ readonly type: 'memory' } & MemorySnapshot)
  | { readonly type: 'bye'; readonly maxRssKilobytes: number };

/** A workload's data as plain JSON, for the Python worker. */
export interface PortableData {
  readonly x: {
    readonly shape: readonly number[];
    readonly values: readonly number[];
    readonly dtype: 'float32' | 'int32';
  };
  readonly y?: { readonly shape: readonly number[]; readonly values: readonly number[] };
  readonly labels?: readonly number[];
}

/**
 * The worker's memory now, after a full garbage collection: the resident set, and for Node
 * workers the live JavaScript memory (V8 heap used plus external memory: ArrayBuffers and
 * WebAssembly memories) of the worker's main thread. Python workers report only the RSS.
 */
export interface MemorySnapshot {
  readonly rssMb: number;
  readonly liveMb?: number;
}
