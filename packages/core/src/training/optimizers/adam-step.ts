import type { AdamStepScalars } from '../../backend/kernel-backend.js';
import { add, div, gather, maximum, mul, sqrt, square, sub } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';

/** A weight and its Adam slots after one update. */
export interface AdamStepResult {
  readonly weight: Tensor;
  readonly m: Tensor;
  readonly v: Tensor;
  /** AMSGrad's running maximum of v, when one was given. */
  readonly vHat: Tensor | null;
}

/**
 * One Adam update (the formulas are `KernelBackend.adamStep`'s): the backend's fused kernel
 * when it has one, else the same formulas as primitives. Not differentiable (an update is
 * never on the tape).
 *
 * @example
 * const next = adamStep(w, g, m, v, null, { alpha, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
 */
export function adamStep(
  weight: Tensor,
  gradient: Tensor,
  m: Tensor,
  v: Tensor,
  vHat: Tensor | null,
  scalars: AdamStepScalars,
): AdamStepResult {
  const engine = weight.engine;
  const backend = engine.backend;
  if (backend.adamStep !== undefined) {
    const [nextWeight, nextM, nextV, nextVHat] = backend
      .adamStep(weight.info, gradient.info, m.info, v.info, vHat?.info ?? null, scalars)
      .map((info) => engine.wrap(info));
    return { weight: nextWeight, m: nextM, v: nextV, vHat: nextVHat ?? null };
  }
  const { alpha, beta1, beta2, epsilon } = scalars;
  const nextM = add(m, mul(sub(gradient, m), 1 - beta1));
  const nextV = add(v, mul(sub(square(gradient), v), 1 - beta2));
  const nextVHat = vHat === null ? null : maximum(vHat, nextV);
  const nextWeight = sub(weight, div(mul(nextM, alpha), add(sqrt(nextVHat ?? nextV), epsilon)));
  return { weight: nextWeight, m: nextM, v: nextV, vHat: nextVHat };
}

/**
 * `adamStep` on rows `rows` (distinct, in range) of a rank-2 weight and its slots, with the
 * full `gradient`, through the backend's fused `adamStepRows`; null when the backend has none or
 * gradients are being recorded. The weight and slot tensors are donated: they are disposed here
 * and the backend may write the rows into their storage, so pass Variables' current values and
 * assign them the results.
 */
export function adamStepRows(
  weight: Tensor,
  gradient: Tensor,
  m: Tensor,
  v: Tensor,
  vHat: Tensor | null,
  rows: Int32Array,
  scalars: AdamStepScalars,
): AdamStepResult | null {
  const engine = weight.engine;
  const backend = engine.backend;
  if (backend.adamStepRows === undefined || engine.tape !== null) return null;
  const indices = engine.tensor(rows, [rows.length], 'int32');
  const gradientRows = gather(gradient, indices, `the gradient rows of a ${weight.shape[0]}-row weight`);
  const [nextWeight, nextM, nextV, nextVHat] = backend
    .adamStepRows(weight.info, gradientRows.info, m.info, v.info, vHat?.info ?? null, indices.info, scalars, true)
    .map((info) => engine.wrap(info));
  for (const donated of [weight, m, v, vHat]) donated?.dispose();
  return { weight: nextWeight, m: nextM, v: nextV, vHat: nextVHat ?? null };
}
