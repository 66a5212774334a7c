import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RandomGenerator } from '@recur/core';
import type { KernelExports } from '../src/kernel-exports.js';

/**
 * The module's sigmoid and tanh (f64x2 expm1, assembly/activations.ts) against the JavaScript
 * runtime's Math.exp and Math.tanh, rounded to float32: at most 1 ulp of float32 apart, over
 * ranges from 1e-30 to the float32 limits, the signed zeros, infinities and NaN.
 */

const bytes = await readFile(new URL('../dist/recur-kernels.wasm', import.meta.url));
const { instance } = await WebAssembly.instantiate(bytes, {});
const kernel = instance.exports as unknown as KernelExports;

const COUNT = 1 << 16;
const source = Math.ceil(kernel.heapBase() / 64) * 64;
const target = source + 4 * COUNT;
kernel.memory.grow(Math.ceil((target + 4 * COUNT) / 65_536));

function activateInModule(kind: 0 | 1, inputs: Float32Array): Float32Array {
  new Float32Array(kernel.memory.buffer, source, inputs.length).set(inputs);
  kernel.activateValues(kind, source, target, inputs.length);
  return new Float32Array(kernel.memory.buffer, target, inputs.length).slice();
}

/** Distance in float32 steps (ulps) between two float32 values; 0 for two NaN. */
function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  // Map the sign-magnitude bit patterns onto one ordered integer line.
  const ordered = (value: number) => (value < 0 ? -2147483648 - value : value);
  return Math.abs(ordered(bits[0]) - ordered(bits[1]));
}

const sigmoidReference = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

const cases: readonly [string, 0 | 1, (x: number) => number][] = [
  ['sigmoid', 0, sigmoidReference],
  ['tanh', 1, Math.tanh],
];

function inputs(low: number, high: number, seed: number): Float32Array {
  const random = new RandomGenerator(seed);
  // An odd count: the last value goes through the module's one-lane path.
  return Float32Array.from({ length: COUNT - 1 }, () => low + (high - low) * random.uniform());
}

describe.each(cases)('%s in WebAssembly', (_name, kind, reference) => {
  it.each([
    [1e-30, 1e-20],
    [1e-7, 1e-5],
    [1e-3, 0.1],
    [0.1, 4],
    [4, 20],
    [20, 120],
    [1e3, 3e38],
  ])('is within 1 ulp of float32 for |x| in [%f, %f], both signs', (low, high) => {
    for (const sign of [1, -1]) {
      const x = inputs(sign * low, sign * high, Math.round(low * 1e6) + sign);
      const y = activateInModule(kind, x);
      let worst = 0;
      for (let k = 0; k < x.length; k++) worst = Math.max(worst, ulpDistance(y[k], Math.fround(reference(x[k]))));
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  it('keeps signed zeros, saturates at the infinities and propagates NaN', () => {
    const special = Float32Array.of(0, -0, Infinity, -Infinity, NaN);
    const y = Array.from(activateInModule(kind, special));
    expect(y).toEqual(Array.from(special, (x) => Math.fround(reference(x))));
  });
});
