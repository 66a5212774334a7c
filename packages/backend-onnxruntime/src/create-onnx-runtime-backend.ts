import {
  BackendError,
  GRAPH_CONTRACT_VERSION,
  type CompiledModel,
  type GraphBackend,
  type GraphSource,
} from '@recur/core';
import { exportGraphSource } from './export-graph-source.js';
import type { OrtNamespace, OrtSession } from './onnx-runtime-api.js';
import { OnnxRuntimeModel } from './onnx-runtime-model.js';

export interface OnnxRuntimeBackendOptions<SessionOptions> {
  /** Passed to `InferenceSession.create`: execution providers, thread counts, optimisation level. */
  readonly sessionOptions?: SessionOptions;
}

/**
 * The GraphBackend over one ONNX Runtime namespace. The package entries call it with
 * `onnxruntime-node` or `onnxruntime-web`; call it yourself to use another build of ONNX Runtime
 * with the same JavaScript API (for example `onnxruntime-web/webgpu`).
 *
 * @example
 * import * as ort from 'onnxruntime-web/webgpu';
 * const backend = createOnnxRuntimeBackend(ort, 'onnxruntime-webgpu', { sessionOptions: { executionProviders: ['webgpu', 'wasm'] } });
 */
export function createOnnxRuntimeBackend<SessionOptions>(
  ort: OrtNamespace<SessionOptions>,
  name: string,
  options: OnnxRuntimeBackendOptions<SessionOptions> = {},
): GraphBackend {
  return {
    kind: 'graph',
    contractVersion: GRAPH_CONTRACT_VERSION,
    name,
    async compile(source: GraphSource): Promise<CompiledModel> {
      const graph = exportGraphSource(source);
      let session: OrtSession;
      try {
        session = await ort.InferenceSession.create(graph.bytes, options.sessionOptions);
      } catch (error) {
        throw new BackendError(
          `${name} could not load the model: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      try {
        return new OnnxRuntimeModel(ort.Tensor, session, name, graph);
      } catch (error) {
        await session.release();
        throw error;
      }
    },
  };
}
