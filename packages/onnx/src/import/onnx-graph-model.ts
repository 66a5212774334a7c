import { Engine, RecurError, ShapeError, ValueError, type KernelBackend, type TensorData } from '@recur/core';
import type { HostTensor } from '../proto/host-tensor.js';
import { isTensor, type GraphValue } from './graph-value.js';
import type { GraphValueInfo, OnnxGraph } from './onnx-graph.js';
import type { CompiledOp } from './ops/compiled-op.js';
import { OP_TABLE } from './ops/op-table.js';

/** Graph inputs by name: `{ shape, values }` (float32 for float inputs, integers for ids). */
export type GraphFeeds = Record<string, { readonly shape: readonly number[]; readonly values: ArrayLike<number> }>;

/**
 * An imported ONNX graph, run node by node on any KernelBackend: float compute goes through
 * core ops (recurrent nodes through Recur's LSTM layers and so the backend's fused kernels),
 * shape arithmetic stays on the host. It runs graphs that are not a Sequential chain too:
 * several inputs (initial states), several outputs (final states), exporter plumbing.
 *
 * @example
 * const graph = new OnnxGraphModel(importOnnx(bytes).graph, { backend: tsBackend() });
 * const { y, h_n } = graph.run({ x: { shape: [1, 5, 4], values: new Float32Array(20) } });
 */
export class OnnxGraphModel {
  readonly engine: Engine;
  readonly inputs: readonly GraphValueInfo[];
  readonly outputs: readonly GraphValueInfo[];
  private readonly graph: OnnxGraph;
  private readonly compiled: CompiledOp[];
  private readonly disposers: (() => void)[] = [];

  constructor(graph: OnnxGraph, options: { readonly backend: KernelBackend }) {
    this.graph = graph;
    this.engine = new Engine(options.backend);
    this.inputs = graph.inputs;
    this.outputs = graph.outputs;
    const owned = { own: (dispose: () => void) => this.disposers.push(dispose) };
    this.compiled = graph.nodes.map((node) => OP_TABLE[node.opType](node, graph, this.engine, owned));
  }

  /** Runs the graph; returns every graph output as host data (float32, or int32 for integer outputs). */
  run(feeds: GraphFeeds): Record<string, TensorData> {
    return this.engine.tidy(() => {
      const values = new Map<string, GraphValue>();
      for (const [name, tensor] of this.graph.initializers) values.set(name, tensor);
      for (const info of this.inputs) values.set(info.name, this.feed(info, feeds));
      this.graph.nodes.forEach((node, k) => {
        const inputs = node.inputs.map((name) => (name === '' ? null : values.get(name)!));
        let outputs: (GraphValue | null)[];
        try {
          outputs = this.compiled[k](inputs);
        } catch (error) {
          if (error instanceof RecurError && !error.message.includes(node.label)) {
            throw new (error.constructor as new (message: string) => RecurError)(
              `While running the ONNX graph's ${node.label}: ${error.message}`,
            );
          }
          throw error;
        }
        node.outputs.forEach((name, index) => {
          const value = outputs[index];
          if (name !== '' && value !== null && value !== undefined) values.set(name, value);
        });
      });
      const results: Record<string, TensorData> = {};
      for (const info of this.outputs) results[info.name] = toData(values.get(info.name)!);
      return results;
    });
  }

  private feed(info: GraphValueInfo, feeds: GraphFeeds): GraphValue {
    const given = feeds[info.name];
    const expected =
      info.shape === null ? 'any shape' : `shape [${info.shape.map((dimension) => dimension ?? '?').join(', ')}]`;
    if (given === undefined) {
      throw new ValueError(
        `The ONNX graph needs input '${info.name}' (${info.dtype}, ${expected}); the inputs are ${this.inputs.map((input) => `'${input.name}'`).join(', ')}.`,
      );
    }
    const shape = [...given.shape];
    const size = shape.reduce((product, dimension) => product * dimension, 1);
    const mismatch =
      info.shape !== null &&
      (info.shape.length !== shape.length ||
        info.shape.some((dimension, axis) => typeof dimension === 'number' && dimension !== shape[axis]));
    if (mismatch || given.values.length !== size) {
      throw new ShapeError(
        `Input '${info.name}' must have ${expected}, got shape [${shape.join(', ')}] with ${given.values.length} values.`,
      );
    }
    if (info.dtype === 'float32') return this.engine.tensor(Float32Array.from(given.values), shape);
    const data =
      info.dtype === 'int32'
        ? Int32Array.from(given.values)
        : info.dtype === 'int64'
          ? Float64Array.from(given.values)
          : Uint8Array.from(given.values);
    if (info.dtype !== 'bool' && data.some((value, k) => value !== given.values[k])) {
      throw new ValueError(`Input '${info.name}' holds ${info.dtype} values: every value must be a whole number.`);
    }
    return { dtype: info.dtype, shape, data } satisfies HostTensor;
  }

  /** Releases the weights held on the backend. */
  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }
}

function toData(value: GraphValue): TensorData {
  if (isTensor(value)) {
    const data = value.read();
    return { shape: [...value.shape], values: data };
  }
  return {
    shape: [...value.shape],
    values: value.dtype === 'float32' ? (value.data as Float32Array) : Int32Array.from(value.data),
  };
}
