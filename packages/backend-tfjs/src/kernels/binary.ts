import type { BinaryOp, TensorInfo } from '@recur/core';
import { ValueError } from '@recur/core';
import { floatTensorOf, produce, type TfTensor, type Tfjs } from '../tensor-handle.js';

/** Each BinaryOp in tfjs ops (which broadcast as NumPy does); comparisons become float32 1 / 0 masks. */
const BINARY_OPS: Readonly<Record<BinaryOp, (tf: Tfjs, a: TfTensor, b: TfTensor) => TfTensor>> = {
  add: (tf, a, b) => tf.add(a, b),
  sub: (tf, a, b) => tf.sub(a, b),
  mul: (tf, a, b) => tf.mul(a, b),
  div: (tf, a, b) => tf.div(a, b),
  maximum: (tf, a, b) => tf.maximum(a, b),
  minimum: (tf, a, b) => tf.minimum(a, b),
  equal: (tf, a, b) => tf.cast(tf.equal(a, b), 'float32'),
  greater: (tf, a, b) => tf.cast(tf.greater(a, b), 'float32'),
};

/** Element-wise `op(a, b)` with broadcasting into a new float32 tensor. */
export function binary(tf: Tfjs, op: BinaryOp, a: TensorInfo, b: TensorInfo): TensorInfo {
  const apply = BINARY_OPS[op];
  if (apply === undefined) throw new ValueError(`Unknown binary operation '${String(op)}'.`);
  const left = floatTensorOf(tf, a, `binary '${op}'`);
  const right = floatTensorOf(tf, b, `binary '${op}'`);
  return produce(tf, () => apply(tf, left, right));
}
