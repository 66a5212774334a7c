import { describe, expect, it } from 'vitest';
import { RandomGenerator, ValueError, sampleWithTemperature } from '@recur/core';

const DRAWS = 40_000;

function frequencies(probabilities: number[], temperature: number, seed: number, topK?: number): number[] {
  const random = new RandomGenerator(seed);
  const counts = probabilities.map(() => 0);
  for (let k = 0; k < DRAWS; k++) counts[sampleWithTemperature(probabilities, temperature, random, { topK })]++;
  return counts.map((count) => count / DRAWS);
}

/**
 * Each observed frequency is a binomial proportion with standard deviation sqrt(q(1-q)/n); a
 * deviation beyond 5 of those has probability below 6e-7 per category for a correct sampler, so
 * this bound fails only for a wrong distribution, not by bad luck.
 */
function expectDistribution(observed: number[], expected: number[]): void {
  expected.forEach((q, k) => {
    const bound = 5 * Math.sqrt((q * (1 - q)) / DRAWS);
    expect(Math.abs(observed[k] - q), `category ${k}: observed ${observed[k]}, expected ${q}`).toBeLessThanOrEqual(
      bound,
    );
  });
}

const P = [0.1, 0.2, 0.3, 0.4];

describe('sampleWithTemperature', () => {
  it('at temperature 1 draws the probabilities themselves', () => {
    expectDistribution(frequencies(P, 1, 11), P);
  });

  it('reweights by p^(1/T), renormalised: T = 0.5 squares, T = 2 takes square roots', () => {
    // p^2 = [.01, .04, .09, .16], sum .30; sqrt(p) normalised by its sum.
    expectDistribution(frequencies(P, 0.5, 12), [0.01 / 0.3, 0.04 / 0.3, 0.09 / 0.3, 0.16 / 0.3]);
    const roots = P.map(Math.sqrt);
    const total = roots.reduce((a, b) => a + b, 0);
    expectDistribution(
      frequencies(P, 2, 13),
      roots.map((r) => r / total),
    );
  });

  it('accepts weights that do not sum to 1 (they are renormalised)', () => {
    expectDistribution(frequencies([1, 2, 3, 4], 1, 14), P);
  });

  it('picks the argmax as the temperature goes to 0', () => {
    // At T = 1e-3 the weight of 0.3 against 0.5 is 0.6^1000 (about 1e-222): never drawn.
    const random = new RandomGenerator(15);
    for (let k = 0; k < 1000; k++) expect(sampleWithTemperature([0.2, 0.5, 0.3], 1e-3, random)).toBe(1);
    expect(sampleWithTemperature([0.2, 0.5, 0.3], 1e-300, random)).toBe(1);
  });

  it('with topK = 1 is the argmax at any temperature (ties keep the lower id)', () => {
    const random = new RandomGenerator(16);
    for (let k = 0; k < 200; k++) {
      expect(sampleWithTemperature([0.2, 0.5, 0.3], 10, random, { topK: 1 })).toBe(1);
      expect(sampleWithTemperature([0.1, 0.45, 0.45], 10, random, { topK: 1 })).toBe(1);
    }
  });

  it('with topK = 2 draws among the two most probable, renormalised', () => {
    const observed = frequencies(P, 1, 17, 2);
    expect(observed.slice(0, 2)).toEqual([0, 0]);
    expectDistribution(observed, [0, 0, 3 / 7, 4 / 7]);
  });

  it('never draws a zero probability', () => {
    const observed = frequencies([0, 0.5, 0, 0.5], 3, 18);
    expect(observed[0]).toBe(0);
    expect(observed[2]).toBe(0);
  });

  it('gives the same draws for the same seed', () => {
    const draw = (seed: number) => {
      const random = new RandomGenerator(seed);
      return Array.from({ length: 50 }, () => sampleWithTemperature(P, 0.8, random));
    };
    expect(draw(19)).toEqual(draw(19));
  });

  it('names bad temperatures, probabilities and topK', () => {
    const random = new RandomGenerator(1);
    for (const temperature of [0, -1, Number.NaN, Infinity]) {
      expect(() => sampleWithTemperature(P, temperature, random)).toThrow(ValueError);
      expect(() => sampleWithTemperature(P, temperature, random)).toThrow(
        `temperature must be a finite number > 0, got ${temperature}`,
      );
    }
    expect(() => sampleWithTemperature([], 1, random)).toThrow(/probabilities are empty/);
    expect(() => sampleWithTemperature([0.5, -0.1], 1, random)).toThrow(
      'probability 1 is -0.1; probabilities must be finite and >= 0',
    );
    expect(() => sampleWithTemperature([0.5, Number.NaN], 1, random)).toThrow(/probability 1 is NaN/);
    expect(() => sampleWithTemperature([0, 0], 1, random)).toThrow(/all probabilities are 0/);
    for (const topK of [0, 5, 1.5]) {
      expect(() => sampleWithTemperature(P, 1, random, { topK })).toThrow(
        `topK must be an integer in [1, 4], got ${topK}`,
      );
    }
  });
});
