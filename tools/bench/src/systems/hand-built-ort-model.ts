import type { WorkloadName } from '../workloads.js';
import { onnxLstmGraph } from './onnx-lstm-graph.js';
import type { OrtModel } from './ort-model.js';

/**
 * The hand-built graph of `onnx-lstm-graph.ts` with its names: `x` in, `y` out; the stream
 * graph carries h1, c1, h2, c2 as `<name>` in and `<name>_next` out.
 *
 * @example
 * const { bytes, input, output } = handBuiltOrtModel('charlm');
 */
export function handBuiltOrtModel(workload: WorkloadName): OrtModel {
  const states =
    workload === 'stream' ? (['h1', 'c1', 'h2', 'c2'] as const).map((name) => [name, `${name}_next`] as const) : [];
  return { bytes: onnxLstmGraph(workload), input: 'x', output: workload === 'stream' ? 'h2_next' : 'y', states };
}
