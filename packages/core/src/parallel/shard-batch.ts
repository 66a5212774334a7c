import type { TensorData } from '../data/tensor-data.js';
import type { RandomGenerator } from '../random/random-generator.js';
import { sizeOf } from '../tensor/shape.js';
import type { ShardTask } from './data-parallel-protocol.js';

/**
 * Splits a batch into `shards` runs of consecutive rows, shard s holding rows
 * `[floor(s N / S), floor((s + 1) N / S))`, and gives each its dropout seed. The split depends
 * only on the batch size and the shard count, never on how many threads compute the shards, so
 * the numbers of a step do not either. Shards left empty by a batch smaller than the shard
 * count are dropped (they would add nothing).
 *
 * The seeds are drawn from the model's generator, one per shard in shard order, every step,
 * whether or not a shard is empty: the generator then advances the same way on any thread count.
 */
export function shardBatch(x: TensorData, y: TensorData, shards: number, random: RandomGenerator): ShardTask[] {
  const samples = x.shape[0];
  const seeds = Array.from({ length: shards }, () => Math.floor(random.uniform() * 4294967296));
  const tasks: ShardTask[] = [];
  for (let index = 0; index < shards; index++) {
    const begin = Math.floor((index * samples) / shards);
    const end = Math.floor(((index + 1) * samples) / shards);
    if (end > begin) tasks.push({ index, x: rows(x, begin, end), y: rows(y, begin, end), seed: seeds[index] });
  }
  return tasks;
}

/** A copy of rows [begin, end): a copy, because posting a view would clone its whole buffer. */
function rows(data: TensorData, begin: number, end: number): TensorData {
  const rowSize = sizeOf(data.shape.slice(1));
  return { shape: [end - begin, ...data.shape.slice(1)], values: data.values.slice(begin * rowSize, end * rowSize) };
}
