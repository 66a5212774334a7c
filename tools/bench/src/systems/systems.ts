import { execFileSync } from 'node:child_process';
import type { RunnerFactory } from './system-runner.js';

/** How a system is run: a Node worker with a runner, or the PyTorch Python worker. */
export type SystemHost =
  | { readonly kind: 'node'; readonly load: () => Promise<RunnerFactory> }
  | { readonly kind: 'python' };

export interface SystemInfo {
  readonly name: string;
  readonly description: string;
  /** Threads the system computes with. */
  readonly threads: number;
  readonly host: SystemHost;
  /** Why the system cannot run on this machine, or null. */
  readonly missing: () => string | null;
}

const always = () => null;

let torchPython: string | null | undefined;

/**
 * The first Python that imports torch: `python3` on the PATH, else Debian's own interpreter
 * (where `apt-get install python3-torch` puts torch even when a pyenv shim comes first).
 */
export function pythonWithTorch(): string | null {
  if (torchPython === undefined) {
    torchPython =
      ['python3', '/usr/bin/python3'].find((python) => {
        try {
          execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      }) ?? null;
  }
  return torchPython;
}

function torchMissing(): string | null {
  return pythonWithTorch() === null
    ? 'PyTorch is not installed (`python3 -c "import torch"` fails; on Debian: apt-get install -y python3-torch)'
    : null;
}

/** Every system the harness knows, in table order: Recur's backends first, then the alternatives. */
export const SYSTEMS: readonly SystemInfo[] = [
  {
    name: 'recur-ts',
    description: 'Recur on @recur/backend-ts (pure TypeScript)',
    threads: 1,
    host: { kind: 'node', load: async () => (await import('./recur-runner.js')).recurTsRunner },
    missing: always,
  },
  {
    name: 'recur-wasm',
    description:
      'Recur on @recur/backend-ts decorated by @recur/wasm-kernels (WebAssembly SIMD matrix products and LSTM sequences)',
    threads: 1,
    host: { kind: 'node', load: async () => (await import('./recur-runner.js')).recurWasmRunner },
    missing: always,
  },
  {
    name: 'recur-ts-2t',
    description: 'recur-ts trained data-parallel on two threads (main + one worker, two shards per batch)',
    threads: 2,
    host: { kind: 'node', load: async () => (await import('./recur-runner.js')).recurTsTwoThreadRunner },
    missing: always,
  },
  {
    name: 'recur-wasm-2t',
    description: 'recur-wasm trained data-parallel on two threads (main + one worker, two shards per batch)',
    threads: 2,
    host: { kind: 'node', load: async () => (await import('./recur-runner.js')).recurWasmTwoThreadRunner },
    missing: always,
  },
  {
    name: 'recur-tfjs-cpu',
    description: 'Recur on @recur/backend-tfjs over TensorFlow.js cpu',
    threads: 1,
    host: { kind: 'node', load: async () => (await import('./recur-runner.js')).recurTfjsRunner('cpu') },
    missing: always,
  },
  {
    name: 'recur-tfjs-wasm',
    description: 'Recur on @recur/backend-tfjs over TensorFlow.js wasm',
    threads: 1,
    host: { kind: 'node', load: async () => (await import('./recur-runner.js')).recurTfjsRunner('wasm') },
    missing: always,
  },
  {
    name: 'tfjs-cpu',
    description: 'TensorFlow.js 4.22 layers, cpu backend',
    threads: 1,
    host: { kind: 'node', load: async () => (await import('./tfjs-runner.js')).tfjsCpuRunner },
    missing: always,
  },
  {
    name: 'tfjs-wasm',
    description: 'TensorFlow.js 4.22 layers, wasm backend (SIMD)',
    threads: 1,
    host: { kind: 'node', load: async () => (await import('./tfjs-runner.js')).tfjsWasmRunner },
    missing: always,
  },
  {
    name: 'ort-node',
    description: 'onnxruntime-node 1.30 (CPU EP), hand-built ONNX LSTM graph',
    threads: 1,
    host: { kind: 'node', load: async () => (await import('./ort-runner.js')).ortNodeRunner },
    missing: always,
  },
  {
    name: 'ort-web',
    description: 'onnxruntime-web 1.30 (wasm EP, SIMD) in Node, hand-built ONNX LSTM graph',
    threads: 1,
    host: { kind: 'node', load: async () => (await import('./ort-runner.js')).ortWebRunner },
    missing: always,
  },
  {
    name: 'recur-export-ort-node',
    description: 'onnxruntime-node, same options as ort-node, on the Recur model exported by @recur/onnx',
    threads: 1,
    host: { kind: 'node', load: async () => (await import('./ort-runner.js')).recurExportOrtNodeRunner },
    missing: always,
  },
  {
    name: 'recur-export-ort-web',
    description: 'onnxruntime-web, same options as ort-web, on the Recur model exported by @recur/onnx',
    threads: 1,
    host: { kind: 'node', load: async () => (await import('./ort-runner.js')).recurExportOrtWebRunner },
    missing: always,
  },
  {
    name: 'torch-1t',
    description: 'PyTorch (CPU), torch.set_num_threads(1)',
    threads: 1,
    host: { kind: 'python' },
    missing: torchMissing,
  },
];

/** Systems whose ratios every other system is compared with. */
export const REFERENCE_SYSTEMS = ['torch-1t', 'tfjs-wasm', 'ort-node'] as const;

/**
 * Pairs compared for a goal of issue #7 beyond the reference systems: two threads against one
 * (>= 1.7x), and Recur's ONNX export against the hand-built graph on the same runtime (within 5 %
 * for inference, 10 % for the stream step).
 */
export const GOAL_PAIRS: readonly (readonly [string, string])[] = [
  ['recur-ts-2t', 'recur-ts'],
  ['recur-wasm-2t', 'recur-wasm'],
  ['recur-export-ort-node', 'ort-node'],
  ['recur-export-ort-web', 'ort-web'],
];
