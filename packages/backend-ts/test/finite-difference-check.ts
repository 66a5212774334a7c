import { expect } from 'vitest';
import type { ActivationName } from '@recur/core';

/**
 * Shared pieces of the tests that check a fused kernel against a plain float64 transcription
 * of its cell equations: seeded test data, the activations written out independently of the
 * backend, and a gradient check by central finite differences of the transcription.
 */

/** DESIGN.md's float32 forward tolerance against a float64 reference: 1e-5 absolute. */
export const FORWARD_TOLERANCE = 1e-5;

/** A small seeded generator (xorshift32) so the test data is the same on every run. */
export function randomSource(seed: number): (low: number, high: number) => number {
  let state = seed >>> 0 || 1;
  return (low, high) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return low + (high - low) * (state / 4294967296);
  };
}

/** The Keras activations in float64; hard_sigmoid is Keras 3's clip(x / 6 + 0.5, 0, 1). */
export const HOST_ACTIVATIONS: Record<ActivationName, (x: number) => number> = {
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  hard_sigmoid: (x) => Math.min(1, Math.max(0, x / 6 + 0.5)),
  softsign: (x) => x / (1 + Math.abs(x)),
  relu: (x) => Math.max(0, x),
  linear: (x) => x,
};

/**
 * For every parameter tensor, the analytic gradient projected on a random direction must
 * equal the central finite difference of `loss` along that direction:
 * |projected - numeric| <= 1e-4 |numeric| + 1e-5.
 */
export function expectGradientsMatchFiniteDifferences<P extends Record<string, number[]>>(
  parameters: P,
  analytic: Record<keyof P, ArrayLike<number>>,
  loss: (parameters: P) => number,
  draw: (size: number, scale: number) => number[],
): void {
  const step = 1e-6;
  for (const name of Object.keys(parameters) as (keyof P & string)[]) {
    const values = parameters[name];
    const direction = draw(values.length, 1);
    const shifted = (sign: number): P => ({
      ...parameters,
      [name]: values.map((value, k) => value + sign * step * direction[k]),
    });
    const numeric = (loss(shifted(1)) - loss(shifted(-1))) / (2 * step);
    const gradient = analytic[name];
    expect(gradient.length, `d loss / d ${name}: size`).toBe(values.length);
    let projected = 0;
    for (let k = 0; k < gradient.length; k++) projected += gradient[k] * direction[k];
    expect(Math.abs(projected - numeric), `d loss / d ${name}: ${projected} vs ${numeric}`).toBeLessThanOrEqual(
      1e-4 * Math.abs(numeric) + 1e-5,
    );
  }
}
