import * as tfjsCore from '@tensorflow/tfjs-core';
import type { KernelBackend, TensorInfo } from '@recur/core';
import { BackendError, KERNEL_CONTRACT_VERSION } from '@recur/core';
import type { Tfjs } from './tensor-handle.js';
import { binary } from './kernels/binary.js';
import { cast } from './kernels/cast.js';
import { fill } from './kernels/fill.js';
import { gather, scatterAdd, scatterUpdate } from './kernels/gather.js';
import { concat, reshape, reverse, slice, transpose } from './kernels/layout.js';
import { lstmSequence } from './kernels/lstm-sequence.js';
import { matmul } from './kernels/matmul.js';
import { reduce } from './kernels/reduce.js';
import { download, upload } from './kernels/transfer.js';
import { unary } from './kernels/unary.js';

export interface TfjsBackendOptions {
  /**
   * The TensorFlow.js namespace to compute with. Default: this package's `@tensorflow/tfjs-core`
   * import. Pass yours (`import * as tf from '@tensorflow/tfjs'`) when your bundle could hold
   * two copies of tfjs-core, so Recur uses the one whose backend you set up.
   */
  readonly tf?: Tfjs;
}

/**
 * The TensorFlow.js backend: tensors are tfjs tensors, every primitive is a tfjs op, so Recur
 * computes on whichever tfjs backend is active (`cpu` or `wasm` in Node; `webgl`, `webgpu` or
 * `wasm` in browsers). Select and await the tfjs backend yourself (`await tf.setBackend('wasm')`)
 * before building a model; this package registers nothing and never changes tfjs's settings.
 *
 * Each call returns a new, independent backend object. Its `name` is `tfjs-<active backend>`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { tfjsBackend } from '@recur/backend-tfjs';
 * await tf.setBackend('cpu');
 * const backend = tfjsBackend({ tf });
 * const a = backend.upload(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
 * backend.download(backend.matmul(a, a, false, false)); // Float32Array [7, 10, 15, 22]
 * ```
 */
export function tfjsBackend(options: TfjsBackendOptions = {}): KernelBackend {
  const tf = options.tf ?? tfjsCore;
  if (tf === null || typeof tf !== 'object' || typeof tf.tidy !== 'function' || typeof tf.Tensor !== 'function') {
    throw new BackendError(
      "tfjsBackend: 'tf' must be the TensorFlow.js namespace, e.g. import * as tf from '@tensorflow/tfjs'.",
    );
  }
  return {
    contractVersion: KERNEL_CONTRACT_VERSION,
    get name(): string {
      // Only a label for summaries and messages: it must not throw while core formats an
      // error, and tf.getBackend() throws when no tfjs backend is registered yet.
      try {
        return `tfjs-${tf.getBackend()}`;
      } catch {
        return 'tfjs';
      }
    },
    upload: (values, shape, dtype) => upload(tf, values, shape, dtype),
    download: (tensor) => download(tf, tensor),
    release(tensor: TensorInfo): void {
      (tensor.handle as { dispose(): void }).dispose();
    },
    fill: (shape, value, dtype) => fill(tf, shape, value, dtype),
    cast: (x, dtype) => cast(tf, x, dtype),
    unary: (op, x) => unary(tf, op, x),
    binary: (op, a, b) => binary(tf, op, a, b),
    matmul: (a, b, transposeA, transposeB) => matmul(tf, a, b, transposeA, transposeB),
    reduce: (op, x, axes) => reduce(tf, op, x, axes),
    reshape: (x, shape) => reshape(tf, x, shape),
    transpose: (x, perm) => transpose(tf, x, perm),
    slice: (x, begin, size) => slice(tf, x, begin, size),
    concat: (tensors, axis) => concat(tf, tensors, axis),
    reverse: (x, axis) => reverse(tf, x, axis),
    gather: (table, indices) => gather(tf, table, indices),
    scatterAdd: (indices, updates, rows) => scatterAdd(tf, indices, updates, rows),
    scatterUpdate: (table, indices, updates) => scatterUpdate(tf, table, indices, updates),
    lstmSequence: lstmSequence(tf),
  };
}
