import { mul } from '../ops/index.js';
import type { RandomGenerator } from '../random/random-generator.js';
import type { Engine } from '../engine/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type BaseLayerOptions, type CallContext, type SymbolicShape } from './layer.js';
import { checkLayerOptions, rate } from '../option-checks.js';

export interface DropoutOptions extends BaseLayerOptions {
  /** Fraction of inputs set to zero during training, in [0, 1). */
  readonly rate: number;
}

/**
 * An inverted-dropout mask: each entry is 0 with probability `rate`, else `1 / (1 - rate)`, so
 * the expected value is unchanged and inference needs no rescaling. Drawn on the host by core's
 * generator, so it is the same on every backend for a seed.
 */
export function dropoutMask(
  engine: Engine,
  shape: readonly number[],
  dropRate: number,
  random: RandomGenerator,
): Tensor {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const values = new Float32Array(size);
  const keepScale = 1 / (1 - dropRate);
  for (let k = 0; k < size; k++) values[k] = random.uniform() < dropRate ? 0 : keepScale;
  return engine.tensor(values, shape);
}

/**
 * Randomly zeroes inputs during training (Keras Dropout); the identity at inference.
 *
 * @example
 * new Dropout({ rate: 0.2 })
 */
export class Dropout extends Layer {
  readonly kind = 'Dropout';
  readonly rate: number;

  constructor(options: DropoutOptions) {
    super(options);
    checkLayerOptions('Dropout', options, ['rate']);
    this.rate = rate('Dropout', 'rate', options.rate);
  }

  outputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  call(x: Tensor, context: CallContext): Tensor {
    if (!context.training || this.rate === 0) return x;
    return mul(x, dropoutMask(x.engine, x.shape, this.rate, context.random));
  }

  override computeMask(_x: Tensor, mask: Tensor | null): Tensor | null {
    return mask;
  }

  config(): Record<string, unknown> {
    return { rate: this.rate };
  }
}
