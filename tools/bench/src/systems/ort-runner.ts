import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import type { WorkloadData } from '../workload-data.js';
import { STREAM_STEPS_PER_CALL, STREAM_VECTORS, type MetricName, type Workload } from '../workloads.js';
import { onnxLstmGraph } from './onnx-lstm-graph.js';
import type { RunnerFactory, SystemRunner } from './system-runner.js';

/** The part of an ONNX Runtime namespace (node or web) the runner uses. */
interface OrtNamespace {
  readonly InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  readonly Tensor: new (type: 'float32' | 'int32', data: Float32Array | Int32Array, dims: readonly number[]) => OrtTensor;
}

/**
 * ONNX Runtime on the hand-built graph of `onnx-lstm-graph.ts`, one thread. Inference only:
 * ONNX Runtime's inference sessions do not train.
 */
function ortRunner(load: () => Promise<{ ort: OrtNamespace; options: InferenceSession.SessionOptions }>): RunnerFactory {
  return async (workload: Workload, data: WorkloadData): Promise<SystemRunner> => {
    const { ort, options } = await load();
    const session = await ort.InferenceSession.create(onnxLstmGraph(workload.name), options);
    const unsupported = (metric: MetricName): string | null =>
      metric === 'train' ? 'ONNX Runtime inference sessions do not train (no onnxruntime-training here)' : null;
    if (workload.name === 'stream') return { unsupported, call: streamCall(ort, session, data) };
    const input = data.x.values instanceof Int32Array ? new ort.Tensor('int32', data.x.values, data.x.shape) : new ort.Tensor('float32', data.x.values, data.x.shape);
    return {
      unsupported,
      async call(): Promise<void> {
        const result = await session.run({ x: input });
        result.y.data;
      },
    };
  };
}

function streamCall(ort: OrtNamespace, session: InferenceSession, data: WorkloadData): () => Promise<void> {
  const zeros = () => new ort.Tensor('float32', new Float32Array(256), [1, 1, 256]);
  let state = { h1: zeros(), c1: zeros(), h2: zeros(), c2: zeros() };
  let k = 0;
  return async () => {
    for (let step = 0; step < STREAM_STEPS_PER_CALL; step++, k = (k + 1) % STREAM_VECTORS) {
      const x = new ort.Tensor('float32', data.x.values.subarray(k * 64, (k + 1) * 64) as Float32Array, [1, 1, 64]);
      const out = await session.run({ x, ...state });
      // The step's output is the top layer's new h: on the host (CPU memory) already.
      out.h2_next.data;
      state = { h1: out.h1_next, c1: out.c1_next, h2: out.h2_next, c2: out.c2_next };
    }
  };
}

/** onnxruntime-node (native CPU execution provider), one intra-op and one inter-op thread. */
export const ortNodeRunner = ortRunner(async () => ({
  ort: (await import('onnxruntime-node')) as unknown as OrtNamespace,
  options: { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' },
}));

/** onnxruntime-web's WebAssembly execution provider (SIMD, one thread), run in Node. */
export const ortWebRunner = ortRunner(async () => {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  return { ort: ort as unknown as OrtNamespace, options: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' } };
});
