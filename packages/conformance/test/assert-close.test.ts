import { describe, expect, it } from 'vitest';
import { assertAllClose, measureCloseness } from '../src/assert-close.js';

describe('comparisons report the worst element and never pass NaN', () => {
  const tolerance = { absolute: 1e-5, relative: 1e-4 };

  it('accepts errors inside absolute + relative·|expected|', () => {
    const result = measureCloseness('grad', [100.009, 0.000005], [100, 0], [2], tolerance);
    expect(result.worstRatio).toBeLessThanOrEqual(1);
    expect(() => assertAllClose([result])).not.toThrow();
  });

  it('names the label, the index and the values of the worst element', () => {
    const result = measureCloseness('output', [0, 1, 2, 3.5], [0, 1, 2, 3], [2, 2], tolerance);
    expect(() => assertAllClose([result])).toThrow(
      /output: max \|error\| 5\.000e-1 .*at \[1, 1\] got 3\.5, expected 3/,
    );
  });

  it('treats NaN and length mismatches as failures', () => {
    expect(measureCloseness('nan', [NaN], [1], [1], tolerance).worstRatio).toBe(Infinity);
    expect(measureCloseness('short', [1], [1, 2], [2], tolerance).worstRatio).toBe(Infinity);
  });
});
