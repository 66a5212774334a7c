import { ValueError } from '../../errors.js';
import { add, clip, div, maximum, mul, sqrt, square, sub, sum } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { positiveNumber } from './positive-number.js';

/** Keras's three gradient clipping options; at most one may be set. */
export interface ClippingOptions {
  /** Rescale each variable's gradient so its L2 norm is at most this. */
  readonly clipNorm?: number;
  /** Clamp every gradient element into `[-clipValue, clipValue]`. */
  readonly clipValue?: number;
  /** Rescale all gradients together so their joint L2 norm is at most this. */
  readonly globalClipNorm?: number;
}

/** Validates the clipping options of optimizer `kind`, returning only the one that is set (or none). */
export function checkClipping(kind: string, options: ClippingOptions): ClippingOptions {
  const set = (['clipNorm', 'clipValue', 'globalClipNorm'] as const).filter(
    (name) => options[name] !== undefined && options[name] !== null,
  );
  if (set.length > 1) {
    throw new ValueError(
      `${kind}: only one of clipNorm, clipValue and globalClipNorm can be set, got ${set.join(' and ')}.`,
    );
  }
  for (const name of set) positiveNumber(kind, name, options[name]);
  return set.length === 0 ? {} : { [set[0]]: options[set[0]] };
}

/**
 * Applies Keras 3's clipping to a list of gradients:
 * - clipNorm c: `g * c / max(||g||, c)` per variable;
 * - globalClipNorm c: every `g * c / max(G, c)` with `G = sqrt(sum over all of ||g||²)`, and
 *   NaN everywhere when G is not finite (Keras adds `G - G` so a blown-up step is visible);
 * - clipValue v: `clip(g, -v, v)`.
 */
export function clipGradients(gradients: readonly Tensor[], options: ClippingOptions): Tensor[] {
  if (options.clipValue !== undefined) return gradients.map((g) => clip(g, -options.clipValue!, options.clipValue!));
  if (options.clipNorm !== undefined) {
    const limit = options.clipNorm;
    return gradients.map((g) => div(mul(g, limit), maximum(sqrt(sum(square(g))), limit)));
  }
  if (options.globalClipNorm !== undefined && gradients.length > 0) {
    const scale = globalClipScale(gradients, options.globalClipNorm);
    return gradients.map((g) => mul(g, scale));
  }
  return [...gradients];
}

/**
 * The scalar every gradient is multiplied by under `globalClipNorm: limit`:
 * `limit / max(G, limit)`, NaN when G is not finite.
 */
export function globalClipScale(gradients: readonly Tensor[], limit: number): Tensor {
  const norm = sqrt(gradients.map((g) => sum(square(g))).reduce((total, part) => add(total, part)));
  return add(div(limit, maximum(norm, limit)), sub(norm, norm));
}
