import { runPrimitive } from '../autodiff/primitive.js';
import { ShapeError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Matrix product of rank-2 tensors, or batched over the first axis of rank-3 tensors.
 * The flags transpose the last two axes of an operand first.
 */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (a.rank !== b.rank || (a.rank !== 2 && a.rank !== 3) || (a.rank === 3 && a.shape[0] !== b.shape[0])) {
    throw new ShapeError(
      `matmul needs two rank-2 tensors or two rank-3 tensors with the same batch size; got ${formatShape(a.shape)} and ${formatShape(b.shape)}.`,
    );
  }
  const inner = a.shape[a.rank - (transposeA ? 2 : 1)];
  const innerB = b.shape[b.rank - (transposeB ? 1 : 2)];
  if (inner !== innerB) {
    throw new ShapeError(
      `matmul: inner dimensions differ (${inner} vs ${innerB}) for ${formatShape(a.shape)}${transposeA ? 'ᵀ' : ''} x ${formatShape(b.shape)}${transposeB ? 'ᵀ' : ''}.`,
    );
  }
  return runPrimitive(a.engine, 'matmul', [a, b], { transposeA, transposeB }, (backend) =>
    backend.matmul(a.info, b.info, transposeA, transposeB),
  )[0];
}
