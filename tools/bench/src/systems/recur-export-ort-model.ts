import { LSTM } from '@recur/core';
import { exportOnnx } from '@recur/onnx';
import type { Workload } from '../workloads.js';
import type { OrtModel } from './ort-model.js';
import { workloadModel } from './recur-runner.js';

/**
 * The workload's Recur model (the same layers and shapes as `recur-ts`) exported with
 * `exportOnnx` from `@recur/onnx`, as a user ships it: a plain export for inference, and for
 * stream `exposeState: true`, whose `state_in.<layer>.h|c` inputs take the previous step's
 * `state_out.<layer>.h|c`. The weights come from building the model on backend-ts; their values
 * do not change the timings.
 *
 * @example
 * const { bytes, input, output, states } = await recurExportOrtModel(WORKLOADS.stream);
 */
export async function recurExportOrtModel(workload: Workload): Promise<OrtModel> {
  const { tsBackend } = await import('@recur/backend-ts');
  const model = workloadModel(workload, tsBackend());
  const exposeState = workload.name === 'stream';
  const states = exposeState
    ? model.layers
        .filter((layer): layer is LSTM => layer instanceof LSTM)
        .flatMap((layer) =>
          (['h', 'c'] as const).map(
            (state) => [`state_in.${layer.name}.${state}`, `state_out.${layer.name}.${state}`] as const,
          ),
        )
    : [];
  return { bytes: exportOnnx(model, { exposeState }), input: 'input', output: 'output', states };
}
