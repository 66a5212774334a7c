import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/mulberry32.js';
import { workloadData } from '../src/workload-data.js';
import { WORKLOADS } from '../src/workloads.js';

describe('synthetic data of workloads.md', () => {
  // Expected values from the spec's formula transcribed to Python with arbitrary-precision
  // integers reduced mod 2^32 (no Math.imul, no JS shifts):
  //   a = (a + 0x6D2B79F5) % M; t = a; t = ((t ^ (t >> 15)) * (t | 1)) % M
  //   t = t ^ ((t + ((t ^ (t >> 7)) * (t | 61)) % M) % M); u = ((t ^ (t >> 14)) % M) / M
  it('mulberry32(42) starts 0.6011037519201636, 0.44829055899754167, 0.8524657934904099', () => {
    const u = mulberry32(42);
    expect([u(), u(), u()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('charlm draws ids batch-major first: the first sample starts with ids 38, 28, 54 (one-hot)', () => {
    const { x, y } = workloadData('charlm');
    expect(x.shape).toEqual([128, 40, 64]);
    expect(y!.shape).toEqual([128, 64]);
    const hot = [0, 1, 2].map((t) => x.values.subarray(t * 64, (t + 1) * 64).indexOf(1));
    expect(hot).toEqual([38, 28, 54]);
  });

  it('sentiment ids are int32 in [0, 20000) and labels 0/1', () => {
    const { x, y } = workloadData('sentiment');
    expect(x.values).toBeInstanceOf(Int32Array);
    expect(x.values[0]).toBe(Math.floor(0.6011037519201636 * 20000));
    expect(new Set(y!.values)).toEqual(new Set([0, 1]));
  });
});

describe('FLOP counts match the table of workloads.md', () => {
  it.each([
    ['charlm', 7_880_704, 21_020_672],
    ['sentiment', 20_971_776, 62_915_328],
    ['timeseries', 1_020_100, 3_040_300],
    ['stream', 1_703_936, 0],
  ] as const)('%s: forward %d, training %d FLOPs per sample', (name, forward, training) => {
    expect(WORKLOADS[name].forwardFlops).toBe(forward);
    expect(WORKLOADS[name].trainingFlops).toBe(training);
  });
});
