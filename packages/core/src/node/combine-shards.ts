import type { StepResult } from '../training/train-step.js';
import type { TensorData } from '../data/tensor-data.js';
import type { ShardResult } from './data-parallel-protocol.js';
import { unpackArrays } from './pack-arrays.js';

/** A batch's gradients and step result, put together from its shards. */
export interface CombinedShards {
  /** Gradients of the trainable weights, in order. */
  readonly gradients: Float32Array[];
  readonly step: StepResult;
}

/**
 * Combines shard results (in shard order) into the batch's: with `D_s` the shard's loss
 * denominator and `D = max(sum D_s, 1)`, the loss is `sum(loss_s D_s) / D` and every gradient
 * `sum((D_s / D) g_s)`, summed in shard order into float32. Since a shard's mean loss is its own
 * sum over `D_s` (or 0 when every step is masked), this is the mean over the whole batch,
 * masked steps left out, as one piece would have it. The fixed order makes the sum the same
 * bits on every run, whichever thread computed each shard.
 */
export function combineShards(results: readonly ShardResult[], weightSizes: readonly number[], labels: TensorData, labelKind: StepResult['batch']['labelKind']): CombinedShards {
  const denominator = Math.max(
    results.reduce((total, result) => total + result.denominator, 0),
    1,
  );
  const gradients = weightSizes.map((size) => new Float32Array(size));
  let loss = 0;
  for (const result of results) {
    const share = result.denominator / denominator;
    loss += result.loss * share;
    unpackArrays(result.gradients, weightSizes).forEach((gradient, k) => {
      const total = gradients[k];
      for (let i = 0; i < total.length; i++) total[i] += share * gradient[i];
    });
  }
  const outputs = concatenate(results.map((result) => result.batch.outputs));
  const first = results[0].batch;
  // Every shard of a batch runs the same model, so either all carry a mask or none does.
  const mask = first.mask ? concatenate(results.map((result) => result.batch.mask!)) : null;
  const rows = results.reduce((total, result) => total + result.batch.outputShape[0], 0);
  return {
    gradients,
    step: {
      loss,
      batch: { outputs, outputShape: [rows, ...first.outputShape.slice(1)], foldedActivation: first.foldedActivation, labels: labels.values, labelKind, mask },
    },
  };
}

/** The shards' arrays end to end, in shard order. */
function concatenate(parts: readonly Float32Array[]): Float32Array {
  const joined = new Float32Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
