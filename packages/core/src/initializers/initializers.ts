import { ValueError } from '../errors.js';
import type { RandomGenerator } from '../random/random-generator.js';
import { sizeOf } from '../tensor/shape.js';

/**
 * Weight initializers with Keras 3 names and formulas. They run on the host with core's
 * generator, so a seed gives the same initial weights on every backend.
 */
export type InitializerName =
  | 'glorot_uniform'
  | 'glorot_normal'
  | 'orthogonal'
  | 'zeros'
  | 'ones'
  | 'random_uniform'
  | 'random_normal';

/** An initializer by name, or with options (`minval`/`maxval`, `mean`/`stddev`, `gain`). */
export type InitializerSpec =
  | InitializerName
  | {
      readonly name: InitializerName;
      readonly minval?: number;
      readonly maxval?: number;
      readonly mean?: number;
      readonly stddev?: number;
      readonly gain?: number;
    };

export const INITIALIZER_NAMES: readonly InitializerName[] = [
  'glorot_uniform',
  'glorot_normal',
  'orthogonal',
  'zeros',
  'ones',
  'random_uniform',
  'random_normal',
];

/** Keras's fan computation for a dense or recurrent kernel `[fanIn, fanOut]` (rank 2). */
function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

/** Normal draws truncated to two standard deviations (Keras's TruncatedNormal). */
function truncatedNormal(random: RandomGenerator, stddev: number): number {
  for (;;) {
    const draw = random.normal();
    if (Math.abs(draw) <= 2) return draw * stddev;
  }
}

/**
 * Keras's Orthogonal: QR of a normal matrix with the sign of R's diagonal folded into Q, so the
 * result is uniformly distributed over orthogonal matrices. Modified Gram–Schmidt yields a
 * positive diagonal directly.
 */
function orthogonal(shape: readonly number[], random: RandomGenerator, gain: number): Float32Array {
  const rows = sizeOf(shape.slice(0, -1));
  const columns = shape[shape.length - 1];
  const tall = rows >= columns;
  const m = tall ? rows : columns;
  const n = tall ? columns : rows;
  // q holds n column vectors of length m.
  const q = new Float64Array(m * n);
  for (let k = 0; k < m * n; k++) q[k] = random.normal();
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += q[i * n + p] * q[i * n + j];
      for (let i = 0; i < m; i++) q[i * n + j] -= dot * q[i * n + p];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[i * n + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) q[i * n + j] /= norm;
  }
  const out = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) out[r * columns + c] = gain * (tall ? q[r * n + c] : q[c * n + r]);
  }
  return out;
}

/** Draws the initial values of a weight of `shape`. */
export function initialize(spec: InitializerSpec, shape: readonly number[], random: RandomGenerator): Float32Array {
  const options = typeof spec === 'string' ? { name: spec } : spec;
  const size = sizeOf(shape);
  const out = new Float32Array(size);
  const { fanIn, fanOut } = fans(shape);
  switch (options.name) {
    case 'zeros':
      return out;
    case 'ones':
      return out.fill(1);
    case 'glorot_uniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let k = 0; k < size; k++) out[k] = (2 * random.uniform() - 1) * limit;
      return out;
    }
    case 'glorot_normal': {
      // 0.8796... is the standard deviation of a unit normal truncated at +-2 (Keras's constant).
      const stddev = Math.sqrt(2 / (fanIn + fanOut)) / 0.87962566103423978;
      for (let k = 0; k < size; k++) out[k] = truncatedNormal(random, stddev);
      return out;
    }
    case 'orthogonal':
      return orthogonal(shape, random, options.gain ?? 1);
    case 'random_uniform': {
      const low = options.minval ?? -0.05;
      const high = options.maxval ?? 0.05;
      for (let k = 0; k < size; k++) out[k] = low + (high - low) * random.uniform();
      return out;
    }
    case 'random_normal': {
      const mean = options.mean ?? 0;
      const stddev = options.stddev ?? 0.05;
      for (let k = 0; k < size; k++) out[k] = mean + stddev * random.normal();
      return out;
    }
    default:
      throw new ValueError(
        `Unknown initializer '${String((options as { name: unknown }).name)}'. Use one of: ${INITIALIZER_NAMES.join(', ')}.`,
      );
  }
}
