import type { TensorData } from '@recur/core';
import { assertClose } from './assert-close.js';
import type { Tolerance } from './tolerances.js';

/** A graph backend's outputs against a KernelBackend's: float32 forward, 1e-5 absolute (DESIGN.md section 5). */
export const GRAPH_FORWARD_TOLERANCE: Tolerance = { absolute: 1e-5, relative: 0 };

/**
 * Throws unless `got` has `expected`'s shape and every value within `tolerance`, naming the worst
 * element.
 *
 * @example
 * assertTensorClose('predict', await compiled.predict(x), model.predict(x));
 */
export function assertTensorClose(
  label: string,
  got: TensorData,
  expected: TensorData,
  tolerance: Tolerance = GRAPH_FORWARD_TOLERANCE,
): void {
  if (
    got.shape.length !== expected.shape.length ||
    got.shape.some((dimension, axis) => dimension !== expected.shape[axis])
  ) {
    throw new Error(`${label}: shape [${got.shape.join(', ')}], expected [${expected.shape.join(', ')}].`);
  }
  assertClose(label, got.values, expected.values, expected.shape, tolerance);
}
