import type { TensorInfo, UnaryOp } from '@recur/core';
import { ValueError } from '@recur/core';
import { floatTensorOf, produce, type TfTensor, type Tfjs } from '../tensor-handle.js';

/**
 * Each UnaryOp in tfjs ops, exactly as the contract documents it. Two are spelled out rather
 * than taken from tfjs: tfjs-core has no hard sigmoid op, and tfjs-layers' `hardSigmoid`
 * activation is the old Keras `clip(0.2x + 0.5, 0, 1)`, while Recur's is Keras 3's (and
 * PyTorch's) `clip(x / 6 + 0.5, 0, 1)`; softsign is `x / (1 + |x|)`.
 */
const UNARY_OPS: Readonly<Record<UnaryOp, (tf: Tfjs, x: TfTensor) => TfTensor>> = {
  neg: (tf, x) => tf.neg(x),
  abs: (tf, x) => tf.abs(x),
  sign: (tf, x) => tf.sign(x),
  step: (tf, x) => tf.step(x, 0),
  exp: (tf, x) => tf.exp(x),
  log: (tf, x) => tf.log(x),
  sqrt: (tf, x) => tf.sqrt(x),
  square: (tf, x) => tf.square(x),
  tanh: (tf, x) => tf.tanh(x),
  sigmoid: (tf, x) => tf.sigmoid(x),
  hardSigmoid: (tf, x) => tf.clipByValue(tf.add(tf.div(x, 6), 0.5), 0, 1),
  softsign: (tf, x) => tf.div(x, tf.add(tf.abs(x), 1)),
  relu: (tf, x) => tf.relu(x),
};

/** Element-wise `op(x)` into a new float32 tensor. */
export function unary(tf: Tfjs, op: UnaryOp, x: TensorInfo): TensorInfo {
  const apply = UNARY_OPS[op];
  if (apply === undefined) throw new ValueError(`Unknown unary operation '${String(op)}'.`);
  const input = floatTensorOf(tf, x, `unary '${op}'`);
  return produce(tf, () => apply(tf, input));
}
