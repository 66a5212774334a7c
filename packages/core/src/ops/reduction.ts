import { runPrimitive } from '../autodiff/primitive.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, exp, log, mul, sub } from './arithmetic.js';
import { reshape } from './structure.js';

function resolveAxes(x: Tensor, axes: number | readonly number[] | undefined, operation: string): number[] {
  if (axes === undefined) return x.shape.map((_, axis) => axis);
  const list = typeof axes === 'number' ? [axes] : axes;
  return [...new Set(list.map((axis) => normalizeAxis(axis, x.rank, operation)))].sort((p, q) => p - q);
}

function keptShape(x: Tensor, axes: readonly number[]): number[] {
  return x.shape.map((dimension, axis) => (axes.includes(axis) ? 1 : dimension));
}

/** Sum over `axes` (all by default); `keepDims` leaves the reduced axes with size 1. */
export function sum(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const resolved = resolveAxes(x, axes, 'sum');
  const result = runPrimitive(x.engine, 'sum', [x], { axes: resolved }, (backend) =>
    backend.reduce('sum', x.info, resolved),
  )[0];
  return keepDims ? reshape(result, keptShape(x, resolved)) : result;
}

/** Maximum over `axes` (all by default). The gradient goes to every position holding the maximum. */
export function max(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const resolved = resolveAxes(x, axes, 'max');
  const result = runPrimitive(x.engine, 'max', [x], { axes: resolved }, (backend) =>
    backend.reduce('max', x.info, resolved),
  )[0];
  return keepDims ? reshape(result, keptShape(x, resolved)) : result;
}

/** Mean over `axes` (all by default). */
export function mean(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const resolved = resolveAxes(x, axes, 'mean');
  const count = resolved.reduce((product, axis) => product * x.shape[axis], 1);
  return mul(sum(x, resolved, keepDims), 1 / count);
}

/** `log(sum(exp(x)))` over `axis`, computed stably by subtracting the maximum first. */
export function logSumExp(x: Tensor, axis = -1, keepDims = false): Tensor {
  const resolved = normalizeAxis(axis, x.rank, 'logSumExp');
  // The shift is a constant for differentiation purposes; its gradient terms cancel exactly.
  const peak = max(x, resolved, true);
  const result = add(log(sum(exp(sub(x, peak)), resolved, true)), peak);
  return keepDims
    ? result
    : reshape(
        result,
        x.shape.filter((_, k) => k !== resolved),
      );
}

/** `x - logSumExp(x)` over `axis`: log-probabilities from logits. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return sub(x, logSumExp(x, axis, true));
}

/** Probabilities from logits over `axis`. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}
