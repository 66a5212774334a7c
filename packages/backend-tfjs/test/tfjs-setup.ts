import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/**
 * The tfjs backends these tests run on in Node. `@tensorflow/tfjs` registers cpu (and webgl,
 * which has no GPU here); importing `@tensorflow/tfjs-backend-wasm` registers wasm, which in
 * Node reads its .wasm file from its own package folder (no setWasmPaths needed).
 */
export const TFJS_BACKENDS = ['cpu', 'wasm'] as const;
export type TfjsBackendName = (typeof TFJS_BACKENDS)[number];

/** Makes `name` the active tfjs backend and waits until it is ready. */
export async function useTfjsBackend(name: TfjsBackendName): Promise<void> {
  const switched = await tf.setBackend(name);
  if (!switched) throw new Error(`tfjs could not initialise its '${name}' backend.`);
  await tf.ready();
}

export { tf };
