// Bundled by esbuild for the browser test: imports the package by name, so the bundler picks
// the "browser" export condition (onnxruntime-web) exactly as a user's bundler would.
import { env, onnxRuntimeBackend } from '@recur/backend-onnxruntime';

/** Plain arrays, so results cross from the page to the test through page.evaluate. */
export interface PlainTensor {
  readonly shape: number[];
  readonly values: number[];
}

export interface PageRunRequest {
  readonly modelUrl: string;
  readonly dtype: 'float32' | 'int32';
  readonly x: PlainTensor;
  readonly steps: PlainTensor[] | null;
}

export interface PageRunResult {
  readonly backendName: string;
  readonly predict: PlainTensor;
  readonly steps: PlainTensor[];
}

function typed(tensor: PlainTensor, dtype: 'float32' | 'int32') {
  return {
    shape: tensor.shape,
    values: dtype === 'int32' ? Int32Array.from(tensor.values) : Float32Array.from(tensor.values),
  };
}

function plain(tensor: { shape: readonly number[]; values: ArrayLike<number> }): PlainTensor {
  return { shape: [...tensor.shape], values: Array.from(tensor.values) };
}

// No cross-origin isolation on the test page: one thread, no SharedArrayBuffer.
env.wasm.numThreads = 1;
env.wasm.wasmPaths = new URL('/ort/', location.href).href;

async function runRecurModel(request: PageRunRequest): Promise<PageRunResult> {
  const response = await fetch(request.modelUrl);
  if (!response.ok) throw new Error(`GET ${request.modelUrl} answered ${response.status}`);
  const backend = onnxRuntimeBackend();
  const compiled = await backend.compile(new Uint8Array(await response.arrayBuffer()));
  const predict = plain(await compiled.predict(typed(request.x, request.dtype)));
  const steps: PlainTensor[] = [];
  if (request.steps !== null) {
    const stream = compiled.stream();
    for (const step of request.steps) steps.push(plain(await stream.step(typed(step, request.dtype))));
  }
  await compiled.dispose();
  return { backendName: backend.name, predict, steps };
}

Object.assign(globalThis, { runRecurModel });
