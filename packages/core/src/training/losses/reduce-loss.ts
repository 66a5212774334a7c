import { div, maximum, mean, mul, sum } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * The mean of per-row losses (every sample, and every time step of a sequence output), Keras's
 * `sum_over_batch_size`. With a mask (`[N, T]` from Embedding(maskZero) or Masking, for sequence
 * outputs), padded steps do not count: `sum(loss * mask) / sum(mask)`, as Keras 3 weighs them.
 */
export function reduceLoss(rowLosses: Tensor, mask: Tensor | null): Tensor {
  if (mask === null) return mean(rowLosses);
  return div(sum(mul(rowLosses, mask)), maximum(sum(mask), 1));
}
