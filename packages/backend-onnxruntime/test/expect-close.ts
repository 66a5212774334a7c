import type { TensorData } from '@recur/core';
import { expect } from 'vitest';

/** Same shape, and every value within `tolerance` (DESIGN.md: float32 forward 1e-5 absolute). */
export function expectClose(actual: TensorData, expected: TensorData, tolerance = 1e-5): void {
  expect([...actual.shape]).toEqual([...expected.shape]);
  expect(actual.values.length).toBe(expected.values.length);
  let worst = 0;
  for (let k = 0; k < expected.values.length; k++)
    worst = Math.max(worst, Math.abs(actual.values[k] - expected.values[k]));
  expect(worst).toBeLessThanOrEqual(tolerance);
}
