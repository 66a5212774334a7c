import { ValueError } from '../errors.js';
import type { TensorData } from '../data/tensor-data.js';

export interface WindowTextOptions {
  /** Characters (ids) in each input window: the model's time steps. */
  readonly length: number;
  /** Distance between the starts of consecutive windows. Default 1. */
  readonly step?: number;
}

/** Next-character training samples: `x` int32 `[S, length]`, `y` int32 `[S]`. */
export interface TextWindows {
  readonly x: TensorData;
  readonly y: TensorData;
}

/**
 * Cuts a sequence of ids into training samples the way the Keras character LSTM tutorial does:
 * window s is `ids[s*step .. s*step+length)` and its target is the id right after it, for every
 * start with such an id, so S = ceil((N - length) / step).
 *
 * @example
 * const { x, y } = windowText(vocabulary.encode(corpus), { length: 40, step: 3 });
 */
export function windowText(ids: ArrayLike<number>, options: WindowTextOptions): TextWindows {
  const { length } = options;
  const step = options.step ?? 1;
  if (!Number.isInteger(length) || length < 1)
    throw new ValueError(`windowText: 'length' must be a positive integer, got ${length}.`);
  if (!Number.isInteger(step) || step < 1)
    throw new ValueError(`windowText: 'step' must be a positive integer, got ${step}.`);
  if (ids.length <= length) {
    throw new ValueError(
      `windowText: ${ids.length} ids make no sample of length ${length} (each needs ${length + 1} ids: the window and the next id). Use a longer text or a shorter length.`,
    );
  }
  const count = Math.ceil((ids.length - length) / step);
  const x = new Int32Array(count * length);
  const y = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const start = s * step;
    for (let t = 0; t < length; t++) x[s * length + t] = ids[start + t];
    y[s] = ids[start + length];
  }
  return { x: { shape: [count, length], values: x }, y: { shape: [count], values: y } };
}
