import type { Dense } from '@recur/core';
import { activationNode } from './activation-node.js';
import type { GraphBuilder } from './graph-builder.js';
import { layerWeights, requireWeight } from './layer-weights.js';

/**
 * Dense as `MatMul` (+ `Add` for the bias) and its activation. MatMul broadcasts over leading
 * axes, so the same nodes serve `[N, F]` and sequence input `[N, T, F]`.
 */
export function denseNodes(builder: GraphBuilder, layer: Dense, input: string): string {
  const weights = layerWeights(layer);
  const kernel = builder.initializer(`${layer.name}/kernel`, requireWeight(weights, layer, 'kernel'));
  let output = builder.node('MatMul', `${layer.name}/MatMul`, [input, kernel], [`${layer.name}/matmul`])[0];
  if (layer.useBias) {
    const bias = builder.initializer(`${layer.name}/bias`, requireWeight(weights, layer, 'bias'));
    output = builder.node('Add', `${layer.name}/Add`, [output, bias], [`${layer.name}/linear`])[0];
  }
  return activationNode(builder, layer.name, layer.activation, output);
}
