import { ValueError, type Engine } from '@recur/core';
import type { HostTensor } from '../../proto/host-tensor.js';
import { isTensor, type GraphValue } from '../graph-value.js';
import type { OnnxGraph, OnnxNode } from '../onnx-graph.js';

/** A node ready to run: its inputs (null where absent) to its outputs (null where unused). */
export type CompiledOp = (inputs: readonly (GraphValue | null)[]) => (GraphValue | null)[];

/**
 * Turns one node into a CompiledOp. Work that depends only on the node and the initializers
 * (building recurrent layers and converting their weights) happens here, once.
 */
export type OpCompiler = (node: OnnxNode, graph: OnnxGraph, engine: Engine, owned: OwnedResources) => CompiledOp;

/** Where a compiled op registers what it holds on the backend (weights), to be released with the model. */
export interface OwnedResources {
  own(dispose: () => void): void;
}

/** Input `k` of a node, with an error naming the node when a required input is absent. */
export function input(node: OnnxNode, inputs: readonly (GraphValue | null)[], k: number): GraphValue {
  const value = inputs[k];
  if (value === null || value === undefined)
    throw new ValueError(`The ONNX graph's ${node.label} needs input ${k}, which is absent.`);
  return value;
}

/**
 * A host integer input (shapes, axes, indices) as plain numbers. These must be computable on
 * the host: a float tensor or a backend value here means the graph computes shapes from data.
 */
export function hostIntegers(node: OnnxNode, value: GraphValue, what: string): number[] {
  if (isTensor(value) || (value.dtype !== 'int64' && value.dtype !== 'int32')) {
    throw new ValueError(
      `The ONNX graph's ${node.label}: ${what} must be an int64 or int32 tensor, got ${isTensor(value) ? value.dtype : value.dtype} data.`,
    );
  }
  return Array.from(value.data);
}

/** An int64 host tensor from plain numbers (what Shape and friends produce). */
export function int64Tensor(values: readonly number[], shape: readonly number[] = [values.length]): HostTensor {
  return { dtype: 'int64', shape: [...shape], data: Float64Array.from(values) };
}
