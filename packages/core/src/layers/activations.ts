import { ValueError } from '../errors.js';
import { activate, ACTIVATION_NAMES } from '../ops/arithmetic.js';
import { softmax } from '../ops/reduction.js';
import type { ActivationName } from '../backend/kernel-backend.js';
import type { Tensor } from '../tensor/tensor.js';

/** Activations a Dense or Activation layer accepts: the cell activations plus softmax. */
export type LayerActivation = ActivationName | 'softmax';

export const LAYER_ACTIVATIONS: readonly LayerActivation[] = [...ACTIVATION_NAMES, 'softmax'];

export function checkActivation(kind: string, option: string, value: unknown): LayerActivation {
  if (!LAYER_ACTIVATIONS.includes(value as LayerActivation)) {
    throw new ValueError(
      `${kind}: '${option}' must be one of ${LAYER_ACTIVATIONS.join(', ')}, got ${JSON.stringify(value)}.`,
    );
  }
  return value as LayerActivation;
}

/** Applies a layer activation; softmax runs over the last axis. */
export function applyActivation(name: LayerActivation, x: Tensor): Tensor {
  return name === 'softmax' ? softmax(x, -1) : activate(name, x);
}
