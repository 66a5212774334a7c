import type { Tolerance } from './tolerances.js';
import { unravelIndex } from './host-tensor.js';

/** How far a result was from its expectation. */
export interface Closeness {
  readonly label: string;
  readonly tolerance: Tolerance;
  /** Largest `|got - expected|`. */
  readonly maxAbsoluteError: number;
  /** Largest `|got - expected| / (absolute + relative * |expected|)`: at most 1 when within tolerance. */
  readonly worstRatio: number;
  /** Description of the worst element, for messages. */
  readonly worst: string;
}

/**
 * Compares two equally long arrays elementwise under a tolerance, without throwing: the
 * caller collects several comparisons and reports every failing one at once.
 */
export function measureCloseness(
  label: string,
  got: ArrayLike<number>,
  expected: ArrayLike<number>,
  shape: readonly number[],
  tolerance: Tolerance,
): Closeness {
  if (got.length !== expected.length) {
    return {
      label,
      tolerance,
      maxAbsoluteError: Infinity,
      worstRatio: Infinity,
      worst: `${got.length} values where ${expected.length} were expected`,
    };
  }
  let maxAbsoluteError = 0;
  let worstRatio = 0;
  let worstIndex = -1;
  for (let k = 0; k < got.length; k++) {
    const error = Math.abs(got[k] - expected[k]);
    // NaN compares false with everything, so it is turned into an infinite error explicitly.
    const measured = Number.isNaN(error) ? (Object.is(got[k], expected[k]) ? 0 : Infinity) : error;
    const bound = tolerance.absolute + tolerance.relative * Math.abs(expected[k]);
    const ratio = measured === 0 ? 0 : bound === 0 ? Infinity : measured / bound;
    maxAbsoluteError = Math.max(maxAbsoluteError, measured);
    if (ratio > worstRatio || worstIndex < 0) {
      worstRatio = ratio;
      worstIndex = k;
    }
  }
  const worst =
    worstIndex < 0
      ? 'no elements'
      : `at [${unravelIndex(worstIndex, shape).join(', ')}] got ${got[worstIndex]}, expected ${expected[worstIndex]}`;
  return { label, tolerance, maxAbsoluteError, worstRatio, worst };
}

/** Throws one error listing every comparison that exceeded its tolerance. */
export function assertAllClose(results: readonly Closeness[]): void {
  const failures = results.filter((result) => !(result.worstRatio <= 1));
  if (failures.length === 0) return;
  const lines = failures.map((failure) => {
    const { absolute, relative } = failure.tolerance;
    return `  ${failure.label}: max |error| ${failure.maxAbsoluteError.toExponential(3)} exceeds ${absolute} + ${relative}·|expected| (worst ${failure.worst})`;
  });
  throw new Error(`${failures.length} of ${results.length} comparisons failed:\n${lines.join('\n')}`);
}

/** Compares one array and throws with the worst element when it is out of tolerance. */
export function assertClose(
  label: string,
  got: ArrayLike<number>,
  expected: ArrayLike<number>,
  shape: readonly number[],
  tolerance: Tolerance,
): Closeness {
  const result = measureCloseness(label, got, expected, shape, tolerance);
  assertAllClose([result]);
  return result;
}
