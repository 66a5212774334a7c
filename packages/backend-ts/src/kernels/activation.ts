import type { ActivationName } from '@recur/core';

/**
 * Activations of the recurrent cells by their Keras names, applied to a range of a
 * Float32Array in place, and their derivatives. The switch sits outside the element loop so
 * each loop stays monomorphic and cheap for the fused kernels.
 *
 * hard_sigmoid is Keras 3's (and PyTorch's) clip(x / 6 + 0.5, 0, 1), not the old 0.2x + 0.5.
 */

export const ACTIVATION_NAMES: readonly ActivationName[] = [
  'tanh',
  'sigmoid',
  'hard_sigmoid',
  'softsign',
  'relu',
  'linear',
];

export function isActivationName(name: unknown): name is ActivationName {
  return typeof name === 'string' && (ACTIVATION_NAMES as readonly string[]).includes(name);
}

export function sigmoid(x: number): number {
  // Split by sign so exp never overflows to Infinity / Infinity.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function hardSigmoid(x: number): number {
  const y = x / 6 + 0.5;
  return y <= 0 ? 0 : y >= 1 ? 1 : y;
}

export function softsign(x: number): number {
  return x / (1 + Math.abs(x));
}

/**
 * to[toOffset + k] = name(from[fromOffset + k]) for k < length; `from` and `to` may be the
 * same array (in place). Reading from one array and writing another saves the copy pass the
 * LSTM step would otherwise make from its pre-activations into its gates.
 */
export function activate(
  name: ActivationName,
  from: Float32Array,
  fromOffset: number,
  to: Float32Array,
  toOffset: number,
  length: number,
): void {
  const shift = fromOffset - toOffset;
  const end = toOffset + length;
  switch (name) {
    case 'tanh':
      for (let k = toOffset; k < end; k++) to[k] = Math.tanh(from[k + shift]);
      return;
    case 'sigmoid':
      for (let k = toOffset; k < end; k++) to[k] = sigmoid(from[k + shift]);
      return;
    case 'hard_sigmoid':
      for (let k = toOffset; k < end; k++) to[k] = hardSigmoid(from[k + shift]);
      return;
    case 'softsign':
      for (let k = toOffset; k < end; k++) to[k] = softsign(from[k + shift]);
      return;
    case 'relu':
      for (let k = toOffset; k < end; k++) {
        const x = from[k + shift];
        to[k] = x > 0 ? x : 0;
      }
      return;
    case 'linear':
      if (from !== to || shift !== 0) to.set(from.subarray(fromOffset, fromOffset + length), toOffset);
      return;
  }
}

/** values[offset .. offset+length) = name(values[...]), in place. */
export function activateInPlace(name: ActivationName, values: Float32Array, offset: number, length: number): void {
  activate(name, values, offset, values, offset, length);
}

/**
 * grads[g] *= name'(x) over a range, the derivative read from the outputs y = name(x) (tanh,
 * sigmoid) or the pre-activations x (the rest). `outputs` and `preActivations` share one
 * layout, indexed from `offset`; `grads` is a float64 scratch row indexed from `gradsOffset`.
 * hard_sigmoid has slope 1/6 strictly inside (-3, 3) and 0 in the clipped region.
 */
export function multiplyByDerivative(
  name: ActivationName,
  grads: Float64Array,
  gradsOffset: number,
  outputs: Float32Array,
  preActivations: Float32Array,
  offset: number,
  length: number,
): void {
  const shift = offset - gradsOffset;
  const end = gradsOffset + length;
  switch (name) {
    case 'tanh':
      for (let g = gradsOffset; g < end; g++) {
        const y = outputs[g + shift];
        grads[g] *= 1 - y * y;
      }
      return;
    case 'sigmoid':
      for (let g = gradsOffset; g < end; g++) {
        const y = outputs[g + shift];
        grads[g] *= y * (1 - y);
      }
      return;
    case 'hard_sigmoid':
      for (let g = gradsOffset; g < end; g++) {
        const x = preActivations[g + shift];
        grads[g] = x > -3 && x < 3 ? grads[g] / 6 : 0;
      }
      return;
    case 'softsign':
      for (let g = gradsOffset; g < end; g++) {
        const d = 1 + Math.abs(preActivations[g + shift]);
        grads[g] /= d * d;
      }
      return;
    case 'relu':
      for (let g = gradsOffset; g < end; g++) {
        if (!(preActivations[g + shift] > 0)) grads[g] = 0;
      }
      return;
    case 'linear':
      return;
  }
}
