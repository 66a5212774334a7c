import { clip, div, log, sum } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { KERAS_EPSILON } from './loss.js';

/**
 * `log(clip(p / sum(p), eps, 1 - eps))` over the last axis: the probability side of Keras's
 * categorical cross-entropies, which renormalise and clip so a zero probability costs
 * `-log(1e-7)` instead of infinity.
 */
export function clippedLogProbabilities(probabilities: Tensor): Tensor {
  return log(clip(div(probabilities, sum(probabilities, -1, true)), KERAS_EPSILON, 1 - KERAS_EPSILON));
}
