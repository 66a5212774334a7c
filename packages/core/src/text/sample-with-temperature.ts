import { ValueError } from '../errors.js';
import type { RandomGenerator } from '../random/random-generator.js';

export interface SampleOptions {
  /** Draw only among the `topK` most probable ids (ties keep the lower id). */
  readonly topK?: number;
}

/**
 * Draws an id from `probabilities` reshaped by `temperature`, with the Keras tutorial's
 * semantics: weights p^(1/T), renormalised. T = 1 samples the distribution itself, T < 1
 * sharpens it towards the argmax, T > 1 flattens it. The weights are computed as
 * exp((log p - log p_max) / T), so a tiny T gives the argmax instead of 0/0. Zero probabilities
 * are never drawn. The probabilities need not sum to 1 (a softmax output in float32 rarely does).
 *
 * @example
 * const next = sampleWithTemperature(model.predict(window).values, 0.5, new RandomGenerator(7));
 */
export function sampleWithTemperature(
  probabilities: ArrayLike<number>,
  temperature: number,
  random: RandomGenerator,
  options: SampleOptions = {},
): number {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new ValueError(
      `sampleWithTemperature: temperature must be a finite number > 0, got ${temperature} (use topK: 1 for the argmax).`,
    );
  }
  const count = probabilities.length;
  if (count === 0) throw new ValueError('sampleWithTemperature: probabilities are empty.');
  let largest = -1;
  for (let k = 0; k < count; k++) {
    const p = probabilities[k];
    if (!(p >= 0) || !Number.isFinite(p))
      throw new ValueError(`sampleWithTemperature: probability ${k} is ${p}; probabilities must be finite and >= 0.`);
    if (largest < 0 || p > probabilities[largest]) largest = k;
  }
  if (probabilities[largest] === 0) throw new ValueError('sampleWithTemperature: all probabilities are 0.');

  const topK = options.topK ?? count;
  if (!Number.isInteger(topK) || topK < 1 || topK > count) {
    throw new ValueError(`sampleWithTemperature: topK must be an integer in [1, ${count}], got ${topK}.`);
  }
  const candidates = Array.from({ length: count }, (_, k) => k);
  if (topK < count) {
    candidates.sort((a, b) => probabilities[b] - probabilities[a] || a - b);
    candidates.length = topK;
  }

  const logLargest = Math.log(probabilities[largest]);
  const weights = candidates.map((k) => Math.exp((Math.log(probabilities[k]) - logLargest) / temperature));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const threshold = random.uniform() * total;
  let cumulative = 0;
  let lastPositive = largest;
  for (let j = 0; j < candidates.length; j++) {
    if (weights[j] === 0) continue;
    cumulative += weights[j];
    lastPositive = candidates[j];
    if (threshold < cumulative) return candidates[j];
  }
  // Rounding can leave `threshold` a hair above the final cumulative sum.
  return lastPositive;
}
