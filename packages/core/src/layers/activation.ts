import type { Tensor } from '../tensor/tensor.js';
import { applyActivation, checkActivation, type LayerActivation } from './activations.js';
import { Layer, type BaseLayerOptions, type CallContext, type SymbolicShape } from './layer.js';
import { checkLayerOptions } from '../option-checks.js';

export interface ActivationOptions extends BaseLayerOptions {
  readonly activation: LayerActivation;
}

/**
 * Applies an activation to its input (Keras Activation), e.g. a softmax after a Dense layer.
 *
 * @example
 * new Activation({ activation: 'softmax' })
 */
export class Activation extends Layer {
  readonly kind = 'Activation';
  readonly activation: LayerActivation;

  constructor(options: ActivationOptions) {
    super(options);
    checkLayerOptions('Activation', options, ['activation']);
    this.activation = checkActivation('Activation', 'activation', options.activation);
  }

  outputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  call(x: Tensor, _context: CallContext): Tensor {
    return applyActivation(this.activation, x);
  }

  /** The input itself: the value before this layer's activation. */
  callPreActivation(x: Tensor, _context: CallContext): Tensor {
    return x;
  }

  override computeMask(_x: Tensor, mask: Tensor | null): Tensor | null {
    return mask;
  }

  config(): Record<string, unknown> {
    return { activation: this.activation };
  }
}
