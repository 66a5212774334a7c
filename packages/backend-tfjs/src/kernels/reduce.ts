import type { ReduceOp, TensorInfo } from '@recur/core';
import { ShapeError, ValueError, formatShape } from '@recur/core';
import { floatTensorOf, produce, type Tfjs } from '../tensor-handle.js';

/**
 * Sum or max over the given sorted, distinct axes; the reduced axes are removed. No axes means
 * no reduction (a copy): tfjs would read an empty axis list the same way, but the contract says
 * so explicitly and this keeps it independent of tfjs's reading.
 */
export function reduce(tf: Tfjs, op: ReduceOp, x: TensorInfo, axes: readonly number[]): TensorInfo {
  if (op !== 'sum' && op !== 'max') throw new ValueError(`Unknown reduction '${String(op)}'.`);
  const rank = x.shape.length;
  axes.forEach((axis, index) => {
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank || (index > 0 && axis <= axes[index - 1])) {
      throw new ShapeError(
        `reduce needs sorted, distinct axes in [0, ${rank}) for shape ${formatShape(x.shape)}, got [${axes.join(', ')}].`,
      );
    }
  });
  const input = floatTensorOf(tf, x, `reduce '${op}'`);
  if (axes.length === 0) return produce(tf, () => tf.clone(input));
  return produce(tf, () => (op === 'sum' ? tf.sum(input, [...axes]) : tf.max(input, [...axes])));
}
