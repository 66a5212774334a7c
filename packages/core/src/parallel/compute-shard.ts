import type { Sequential } from '../models/sequential.js';
import { shardGradients, type LossSetup } from '../training/train-step.js';
import type { ShardResult, ShardTask } from './data-parallel-protocol.js';
import { packArrays } from './pack-arrays.js';

/**
 * Computes one shard on this thread, the same way on the main thread and in a worker, so a
 * shard's numbers do not depend on where it ran: the model's generator is set to the shard's
 * seed for the shard's dropout masks and put back afterwards, and the gradients are packed in
 * trainable-weight order.
 */
export function computeShard(model: Sequential, setup: LossSetup, task: ShardTask): ShardResult {
  const generator = model.random;
  const saved = generator.snapshot();
  generator.restore({ state: task.seed, spareNormal: null });
  try {
    const result = shardGradients(model, setup, task.x, task.y);
    const { loss, denominator, gradients, gradientRows, batch } = result;
    return { index: task.index, loss, denominator, gradients: packArrays(gradients), gradientRows, batch };
  } finally {
    generator.restore(saved);
  }
}
