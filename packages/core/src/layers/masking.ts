import { ShapeError, formatShape } from '../errors.js';
import { abs, max, mul, reshape, sub, greater } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type BaseLayerOptions, type CallContext, type SymbolicShape } from './layer.js';
import { checkLayerOptions } from '../option-checks.js';

export interface MaskingOptions extends BaseLayerOptions {
  /** Steps whose features all equal this value are padding; default 0. */
  readonly maskValue?: number;
}

/**
 * Marks padding steps of a float sequence `[N, T, F]` (Keras Masking): a step whose features
 * all equal `maskValue` is masked, so recurrent layers skip it; masked steps are zeroed.
 *
 * @example
 * new Masking({ maskValue: 0, inputShape: [null, 3] })
 */
export class Masking extends Layer {
  readonly kind = 'Masking';
  readonly maskValue: number;

  constructor(options: MaskingOptions = {}) {
    super(options);
    checkLayerOptions('Masking', options, ['maskValue']);
    this.maskValue = options.maskValue ?? 0;
  }

  outputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 3) {
      throw new ShapeError(
        `Layer '${this.name}' (Masking) needs a sequence input [batch, time, features], got ${formatShape(inputShape)}.`,
      );
    }
    return inputShape;
  }

  /** `[N, T]`: 1 where any feature differs from maskValue. */
  private stepMask(x: Tensor): Tensor {
    return max(greater(abs(sub(x, this.maskValue)), 0), 2);
  }

  call(x: Tensor, _context: CallContext): Tensor {
    this.checkInput(x, [null, null, x.shape[2]]);
    return mul(x, reshape(this.stepMask(x), [x.shape[0], x.shape[1], 1]));
  }

  override computeMask(x: Tensor, _mask: Tensor | null): Tensor | null {
    return this.stepMask(x);
  }

  config(): Record<string, unknown> {
    return { maskValue: this.maskValue };
  }
}
