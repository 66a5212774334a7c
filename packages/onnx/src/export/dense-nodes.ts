import type { Dense } from '@recur/core';
import { activationNode } from './activation-node.js';
import type { GraphBuilder } from './graph-builder.js';
import type { LayerWeights } from './layer-weights.js';

/**
 * Dense and its activation. On `[N, F]` input it is one `Gemm` with the bias as C, the single
 * kernel ONNX Runtime runs for a matrix product plus bias. Gemm takes only 2-D operands, so
 * sequence input `[N, T, F]` (and TimeDistributed(Dense)) uses `MatMul`, which broadcasts over
 * the leading axes, and `Add` for the bias. `name` prefixes the node and initializer names.
 */
export function denseNodes(
  builder: GraphBuilder,
  name: string,
  layer: Dense,
  weights: LayerWeights,
  input: string,
  inputRank: number,
): string {
  const kernel = builder.initializer(`${name}/kernel`, weights.get('kernel'));
  const bias = layer.useBias ? builder.initializer(`${name}/bias`, weights.get('bias')) : null;
  let output: string;
  if (inputRank === 2) {
    output = builder.node('Gemm', `${name}/Gemm`, bias === null ? [input, kernel] : [input, kernel, bias], [
      `${name}/linear`,
    ])[0];
  } else {
    output = builder.node('MatMul', `${name}/MatMul`, [input, kernel], [`${name}/matmul`])[0];
    if (bias !== null) output = builder.node('Add', `${name}/Add`, [output, bias], [`${name}/linear`])[0];
  }
  return activationNode(builder, name, layer.activation, output);
}
