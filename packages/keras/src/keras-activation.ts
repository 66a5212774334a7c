import { ValueError, type LayerActivation } from '@recur/core';

/** Who wrote a Layers-format file, as far as its `keras_version` field tells. */
export type LayersProducer = 'tfjs' | 'keras2' | 'keras3' | 'unknown';

const SUPPORTED: readonly LayerActivation[] = [
  'tanh',
  'sigmoid',
  'hard_sigmoid',
  'softsign',
  'relu',
  'linear',
  'softmax',
];

/**
 * Two hard sigmoids exist: tfjs-layers and Keras 2 compute `clip(0.2x + 0.5, 0, 1)`; Keras 3
 * (and Recur) compute `clip(x / 6 + 0.5, 0, 1)`. They differ by up to 0.1, so a file whose
 * producer meant the first cannot run exactly in Recur.
 */
export const HARD_SIGMOID_FORMULAS =
  'tfjs-layers and Keras 2 define hard_sigmoid as clip(0.2x + 0.5, 0, 1), Keras 3 and Recur as clip(x / 6 + 0.5, 0, 1)';

/** `hardSigmoid` (tfjs's own spelling) -> `hard_sigmoid`. */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Reads an activation from a Keras layer config (a name, or Keras 3's `{ class_name, config }`
 * form) as the Recur activation that computes the same numbers, or throws naming the layer.
 */
export function activationFromKeras(value: unknown, producer: LayersProducer, where: string): LayerActivation {
  const raw =
    value !== null && typeof value === 'object' && 'config' in value
      ? (value as { config: { name?: unknown } }).config.name
      : value;
  if (typeof raw !== 'string')
    throw new ValueError(`${where}: the activation ${JSON.stringify(value)} is not a name Recur can read.`);
  const name = snakeCase(raw);
  if (name === 'hard_sigmoid' && producer !== 'keras3') {
    throw new ValueError(
      `${where} uses hard_sigmoid as written by ${producer === 'unknown' ? 'an unknown producer' : producer === 'tfjs' ? 'tfjs-layers' : 'Keras 2'}: ` +
        `${HARD_SIGMOID_FORMULAS}, so Recur cannot reproduce this model exactly. ` +
        "Retrain it with 'sigmoid' (tfjs: recurrentActivation: 'sigmoid'), or convert it from Keras 3.",
    );
  }
  if (!SUPPORTED.includes(name as LayerActivation)) {
    throw new ValueError(
      `${where} uses the activation '${raw}', which Recur does not have. Supported: ${SUPPORTED.join(', ')}.`,
    );
  }
  return name as LayerActivation;
}

/** Writes a Recur activation for tfjs-layers, refusing the one whose formula tfjs does not share. */
export function activationToKeras(activation: LayerActivation, where: string): string {
  if (activation === 'hard_sigmoid') {
    throw new ValueError(
      `${where} uses hard_sigmoid, which tfjs cannot represent: ${HARD_SIGMOID_FORMULAS}. ` +
        "Use 'sigmoid' for a model you want to open in tfjs.",
    );
  }
  return activation;
}
