import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { WorkloadData } from '../workload-data.js';
import { STREAM_STEPS_PER_CALL, STREAM_VECTORS, type MetricName, type Workload } from '../workloads.js';
import { handBuiltOrtModel } from './hand-built-ort-model.js';
import type { OrtModel } from './ort-model.js';
import type { RunnerFactory, SystemRunner } from './system-runner.js';

/** The part of an ONNX Runtime namespace (node or web) the runner uses. */
interface OrtNamespace {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  readonly Tensor: new (
    type: 'float32' | 'int32',
    data: Float32Array | Int32Array,
    dims: readonly number[],
  ) => OrtTensor;
}

/** Where a runner's ONNX model comes from: the hand-built graph or Recur's exporter. */
type ModelSource = (workload: Workload) => OrtModel | Promise<OrtModel>;

/**
 * ONNX Runtime on one workload's ONNX model, one thread. Inference only: ONNX Runtime's
 * inference sessions do not train.
 */
function ortRunner(
  source: ModelSource,
  load: () => Promise<{ ort: OrtNamespace; options: InferenceSession.SessionOptions }>,
): RunnerFactory {
  return async (workload: Workload, data: WorkloadData): Promise<SystemRunner> => {
    const { ort, options } = await load();
    const model = await source(workload);
    const session = await ort.InferenceSession.create(model.bytes, options);
    const unsupported = (metric: MetricName): string | null =>
      metric === 'train' ? 'ONNX Runtime inference sessions do not train (no onnxruntime-training here)' : null;
    if (workload.name === 'stream') return { unsupported, call: streamCall(ort, session, model, data) };
    const input =
      data.x.values instanceof Int32Array
        ? new ort.Tensor('int32', data.x.values, data.x.shape)
        : new ort.Tensor('float32', data.x.values, data.x.shape);
    return {
      unsupported,
      async call(): Promise<void> {
        const result = await session.run({ [model.input]: input });
        result[model.output].data;
      },
    };
  };
}

function streamCall(
  ort: OrtNamespace,
  session: InferenceSession,
  model: OrtModel,
  data: WorkloadData,
): () => Promise<void> {
  let state: Record<string, OrtTensor> = Object.fromEntries(
    model.states.map(([input]) => [input, new ort.Tensor('float32', new Float32Array(256), [1, 1, 256])]),
  );
  let k = 0;
  return async () => {
    for (let step = 0; step < STREAM_STEPS_PER_CALL; step++, k = (k + 1) % STREAM_VECTORS) {
      const x = new ort.Tensor('float32', data.x.values.subarray(k * 64, (k + 1) * 64) as Float32Array, [1, 1, 64]);
      const out = await session.run({ [model.input]: x, ...state });
      // The step's output is the top layer's new h: on the host (CPU memory) already.
      out[model.output].data;
      state = Object.fromEntries(model.states.map(([input, output]) => [input, out[output]]));
    }
  };
}

/** onnxruntime-node (native CPU execution provider), one intra-op and one inter-op thread. */
async function loadOrtNode(): Promise<{ ort: OrtNamespace; options: InferenceSession.SessionOptions }> {
  return {
    ort: (await import('onnxruntime-node')) as unknown as OrtNamespace,
    options: { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' },
  };
}

/** onnxruntime-web's WebAssembly execution provider (SIMD, one thread), run in Node. */
async function loadOrtWeb(): Promise<{ ort: OrtNamespace; options: InferenceSession.SessionOptions }> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  return {
    ort: ort as unknown as OrtNamespace,
    options: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' },
  };
}

/** The model Recur's exporter writes for the workload (loaded lazily: it pulls in core and a backend). */
const recurExport: ModelSource = async (workload) =>
  (await import('./recur-export-ort-model.js')).recurExportOrtModel(workload);
const handBuilt: ModelSource = (workload) => handBuiltOrtModel(workload.name);

/** onnxruntime-node on the hand-built graph. */
export const ortNodeRunner = ortRunner(handBuilt, loadOrtNode);

/** onnxruntime-web on the hand-built graph. */
export const ortWebRunner = ortRunner(handBuilt, loadOrtWeb);

/** onnxruntime-node on Recur's export of the same model, with the same session options. */
export const recurExportOrtNodeRunner = ortRunner(recurExport, loadOrtNode);

/** onnxruntime-web on Recur's export of the same model, with the same session options. */
export const recurExportOrtWebRunner = ortRunner(recurExport, loadOrtWeb);
