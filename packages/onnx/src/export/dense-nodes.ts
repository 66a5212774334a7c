import type { Dense } from '@recur/core';
import { activationNode } from './activation-node.js';
import type { GraphBuilder } from './graph-builder.js';
import type { LayerWeights } from './layer-weights.js';

/**
 * Dense as `MatMul` (+ `Add` for the bias) and its activation. MatMul broadcasts over leading
 * axes, so the same nodes serve `[N, F]` and sequence input `[N, T, F]` (and so
 * TimeDistributed(Dense)). `name` prefixes the node and initializer names.
 */
export function denseNodes(builder: GraphBuilder, name: string, layer: Dense, weights: LayerWeights, input: string): string {
  const kernel = builder.initializer(`${name}/kernel`, weights.get('kernel'));
  let output = builder.node('MatMul', `${name}/MatMul`, [input, kernel], [`${name}/matmul`])[0];
  if (layer.useBias) {
    const bias = builder.initializer(`${name}/bias`, weights.get('bias'));
    output = builder.node('Add', `${name}/Add`, [output, bias], [`${name}/linear`])[0];
  }
  return activationNode(builder, name, layer.activation, output);
}
