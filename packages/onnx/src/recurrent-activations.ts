import type { ActivationName } from '@recur/core';
import { OnnxUnsupportedError } from './onnx-errors.js';

/** An activation function of the ONNX recurrent operators with its parameters. */
export interface OnnxRecurrentActivation {
  readonly name: string;
  readonly alpha?: number;
  readonly beta?: number;
}

/**
 * Keras activation names as ONNX recurrent activations. Keras 3's hard sigmoid is
 * `x / 6 + 0.5` while ONNX's HardSigmoid defaults to `0.2x + 0.5`, so alpha and beta are
 * always written; `linear` is ONNX's `Affine` with alpha 1, beta 0.
 */
export function onnxActivationOf(name: ActivationName): OnnxRecurrentActivation {
  switch (name) {
    case 'sigmoid':
      return { name: 'Sigmoid' };
    case 'tanh':
      return { name: 'Tanh' };
    case 'relu':
      return { name: 'Relu' };
    case 'softsign':
      return { name: 'Softsign' };
    case 'hard_sigmoid':
      return { name: 'HardSigmoid', alpha: 1 / 6, beta: 0.5 };
    case 'linear':
      return { name: 'Affine', alpha: 1, beta: 0 };
  }
}

/** Functions that read activation_alpha / activation_beta, and how many of each. */
const PARAMETERS: Record<string, { alpha: number; beta: number; defaultAlpha?: number; defaultBeta?: number }> = {
  Affine: { alpha: 1, beta: 1, defaultAlpha: 1, defaultBeta: 0 },
  HardSigmoid: { alpha: 1, beta: 1, defaultAlpha: 0.2, defaultBeta: 0.5 },
  LeakyRelu: { alpha: 1, beta: 0, defaultAlpha: 0.01 },
  ThresholdedRelu: { alpha: 1, beta: 0, defaultAlpha: 1 },
  ScaledTanh: { alpha: 1, beta: 1, defaultAlpha: 1, defaultBeta: 1 },
  Elu: { alpha: 1, beta: 0, defaultAlpha: 1 },
};

/**
 * Flattens activations into the `activations`, `activation_alpha`, `activation_beta` lists.
 * The alpha and beta lists hold values only for the functions that take them, in order (the
 * reading ONNX Runtime implements, see parseActivationAttributes).
 */
export function activationLists(activations: readonly OnnxRecurrentActivation[]): {
  names: string[];
  alphas: number[];
  betas: number[];
} {
  const alphas: number[] = [];
  const betas: number[] = [];
  for (const activation of activations) {
    const parameters = PARAMETERS[activation.name];
    if (parameters === undefined) continue;
    if (parameters.alpha > 0) alphas.push(activation.alpha ?? parameters.defaultAlpha ?? 0);
    if (parameters.beta > 0) betas.push(activation.beta ?? parameters.defaultBeta ?? 0);
  }
  return { names: activations.map((activation) => activation.name), alphas, betas };
}

/** The inverse of activationLists: names plus the alpha/beta values each function consumes. */
export function parseActivationAttributes(
  names: readonly string[],
  alphas: readonly number[],
  betas: readonly number[],
): OnnxRecurrentActivation[] {
  let alphaIndex = 0;
  let betaIndex = 0;
  return names.map((name) => {
    const parameters = PARAMETERS[name];
    if (parameters === undefined) return { name };
    const alpha = parameters.alpha > 0 ? (alphas[alphaIndex++] ?? parameters.defaultAlpha) : undefined;
    const beta = parameters.beta > 0 ? (betas[betaIndex++] ?? parameters.defaultBeta) : undefined;
    return { name, alpha, beta };
  });
}

const FLOAT32_TOLERANCE = 1e-6;

/**
 * The Keras activation computing the same function as an ONNX recurrent activation, or a
 * clear error naming the node when Recur's cells have no equivalent.
 */
export function kerasActivationOf(activation: OnnxRecurrentActivation, where: string): ActivationName {
  const near = (value: number | undefined, target: number) =>
    value !== undefined && Math.abs(value - target) <= FLOAT32_TOLERANCE;
  switch (activation.name) {
    case 'Sigmoid':
      return 'sigmoid';
    case 'Tanh':
      return 'tanh';
    case 'Relu':
      return 'relu';
    case 'Softsign':
      return 'softsign';
    case 'HardSigmoid':
      if (near(activation.alpha, 1 / 6) && near(activation.beta, 0.5)) return 'hard_sigmoid';
      break;
    case 'Affine':
      if (near(activation.alpha, 1) && near(activation.beta, 0)) return 'linear';
      break;
  }
  const values = [
    activation.alpha === undefined ? '' : `alpha ${activation.alpha}`,
    activation.beta === undefined ? '' : `beta ${activation.beta}`,
  ].filter((text) => text !== '');
  const parameters = values.length === 0 ? '' : ` (${values.join(', ')})`;
  throw new OnnxUnsupportedError(
    `${where}: the recurrent activation ${activation.name}${parameters} has no Recur equivalent. Supported: Sigmoid, Tanh, Relu, Softsign, HardSigmoid with alpha 1/6 and beta 0.5, Affine with alpha 1 and beta 0.`,
  );
}
