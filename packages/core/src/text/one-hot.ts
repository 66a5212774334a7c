import { ValueError } from '../errors.js';
import type { TensorData } from '../data/tensor-data.js';

/**
 * Float32 one-hot vectors of integer ids: shape `[...ids.shape, depth]`, a 1 at each id. The
 * classic Keras character LSTM feeds these (no Embedding layer) as `[S, length, vocabulary size]`.
 *
 * @example
 * const { x, y } = windowText(vocabulary.encode(corpus), { length: 40, step: 3 });
 * const inputs = oneHot(x, vocabulary.size); // [S, 40, V]
 */
export function oneHot(ids: TensorData, depth: number): TensorData {
  if (!Number.isInteger(depth) || depth < 1)
    throw new ValueError(`oneHot: 'depth' must be a positive integer (the vocabulary size), got ${depth}.`);
  const values = new Float32Array(ids.values.length * depth);
  for (let k = 0; k < ids.values.length; k++) {
    const id = ids.values[k];
    if (!Number.isInteger(id) || id < 0 || id >= depth) {
      throw new ValueError(
        `oneHot: id ${id} at flat index ${k} is outside [0, ${depth - 1}]: is depth the vocabulary size?`,
      );
    }
    values[k * depth + id] = 1;
  }
  return { shape: [...ids.shape, depth], values };
}
