import type { KernelBackend } from '@recur/core';
import { CliError } from './cli-error.js';

/**
 * The CLI's name -> backend table (the one place in Recur that maps names to backends; the
 * libraries take backend objects). Each entry imports its package only when chosen, so the
 * CLI starts fast and runs without the optional ones installed.
 */
const KERNEL_BACKENDS: Readonly<Record<string, () => Promise<KernelBackend>>> = {
  ts: async () => (await import('@recur/backend-ts')).tsBackend(),
  // backend-ts with its matrix products and standard LSTM sequences in WebAssembly SIMD: same
  // numbers within float32 rounding, several times faster.
  'ts-wasm': async () => {
    const [{ tsBackend }, { loadWasmKernels, withWasmKernels }] = await Promise.all([
      import('@recur/backend-ts'),
      import('@recur/wasm-kernels'),
    ]);
    return withWasmKernels(tsBackend, await loadWasmKernels());
  },
  // tfjs's wasm backend (XNNPACK) multiplies faster than its cpu backend in Node.
  tfjs: () => tfjsBackend('wasm'),
  'tfjs-wasm': () => tfjsBackend('wasm'),
  'tfjs-cpu': () => tfjsBackend('cpu'),
};

/** Inference on ONNX Runtime: predict and generate only. */
export const ONNX_RUNTIME = 'onnxruntime';

export const BACKEND_NAMES: readonly string[] = [...Object.keys(KERNEL_BACKENDS), ONNX_RUNTIME];

/** Throws the CLI's message for a name outside the table. */
export function checkBackendName(name: string): void {
  if (!BACKEND_NAMES.includes(name))
    throw new CliError(`Unknown backend '${name}'. Use one of: ${BACKEND_NAMES.join(', ')}.`);
}

/**
 * A training-capable backend by name. `onnxruntime` runs inference only, so commands that
 * train or evaluate refuse it with the alternatives.
 *
 * @example
 * const backend = await loadKernelBackend('ts', 'train');
 */
export async function loadKernelBackend(name: string, command: string): Promise<KernelBackend> {
  checkBackendName(name);
  if (name === ONNX_RUNTIME) {
    // evaluate needs no gradients, but its loss and metrics are computed by core's compiled model on a kernel backend.
    const needs =
      command === 'evaluate'
        ? 'computes its loss and metrics on a kernel backend'
        : 'needs a backend that computes gradients';
    throw new CliError(
      `--backend onnxruntime runs inference only (predict, generate); '${command}' ${needs}: ts or tfjs.`,
    );
  }
  try {
    return await KERNEL_BACKENDS[name]();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new CliError(
        `Backend '${name}' is not installed (${(error as Error).message.split('\n')[0]}). Install its package or use --backend ts.`,
      );
    }
    throw error;
  }
}

async function tfjsBackend(flavour: 'cpu' | 'wasm'): Promise<KernelBackend> {
  const tf = await import('@tensorflow/tfjs-core');
  // These imports register the tfjs backend with tfjs-core: the CLI, an app, may do so.
  if (flavour === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  else await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(flavour)))
    throw new CliError(
      `TensorFlow.js could not start its '${flavour}' backend; try --backend tfjs-cpu or --backend ts.`,
    );
  await tf.ready();
  const { tfjsBackend: create } = await import('@recur/backend-tfjs');
  return create({ tf: tf as never });
}
