import type { ActivationName } from '@recur/core';
import type { TfTensor, Tfjs } from '../tensor-handle.js';

/**
 * The recurrent cells' activations by their Keras names, as tfjs ops, each with its derivative
 * (as a tensor of the same shape) for the fused kernel's backward pass.
 *
 * hard_sigmoid is Keras 3's (and PyTorch's) clip(x / 6 + 0.5, 0, 1), slope 1/6 strictly inside
 * (-3, 3) and 0 where clipped; tfjs-layers' `hardSigmoid` (0.2x + 0.5) is a different function.
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

/** `name(x)`; the caller runs it inside a tf.tidy. */
export function activate(tf: Tfjs, name: ActivationName, x: TfTensor): TfTensor {
  switch (name) {
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'hard_sigmoid':
      return tf.clipByValue(tf.add(tf.div(x, 6), 0.5), 0, 1);
    case 'softsign':
      return tf.div(x, tf.add(tf.abs(x), 1));
    case 'relu':
      return tf.relu(x);
    case 'linear':
      return x;
  }
}

/** `name'(x)`, from the pre-activation `x` and the activation's value `y = name(x)`. */
export function activationDerivative(tf: Tfjs, name: ActivationName, x: TfTensor, y: TfTensor): TfTensor {
  switch (name) {
    case 'tanh':
      return tf.sub(1, tf.square(y));
    case 'sigmoid':
      return tf.mul(y, tf.sub(1, y));
    case 'hard_sigmoid':
      return tf.mul(tf.cast(tf.less(tf.abs(x), 3), 'float32'), 1 / 6);
    case 'softsign':
      return tf.reciprocal(tf.square(tf.add(tf.abs(x), 1)));
    case 'relu':
      return tf.step(x, 0);
    case 'linear':
      return tf.onesLike(x);
  }
}
