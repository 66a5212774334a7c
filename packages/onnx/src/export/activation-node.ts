import type { LayerActivation } from '@recur/core';
import { attribute } from './attributes.js';
import type { GraphBuilder } from './graph-builder.js';

/**
 * Appends the node computing a Dense / Activation layer's activation and returns its output
 * (the input itself for `linear`). Softmax runs over the last axis, as in Recur.
 */
export function activationNode(
  builder: GraphBuilder,
  layerName: string,
  activation: LayerActivation,
  input: string,
): string {
  const unary = (opType: string, attributes = [] as ReturnType<typeof attribute.float>[]) =>
    builder.node(opType, `${layerName}/${opType}`, [input], [`${layerName}/${activation}`], attributes)[0];
  switch (activation) {
    case 'linear':
      return input;
    case 'softmax':
      return unary('Softmax', [attribute.int('axis', -1)]);
    case 'sigmoid':
      return unary('Sigmoid');
    case 'tanh':
      return unary('Tanh');
    case 'relu':
      return unary('Relu');
    case 'softsign':
      return unary('Softsign');
    case 'hard_sigmoid':
      // Keras 3's x / 6 + 0.5, not ONNX's default 0.2x + 0.5.
      return unary('HardSigmoid', [attribute.float('alpha', 1 / 6), attribute.float('beta', 0.5)]);
  }
}
