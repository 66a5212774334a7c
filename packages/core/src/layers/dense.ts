import { ShapeError, formatShape } from '../errors.js';
import type { InitializerSpec } from '../initializers/initializers.js';
import { add, matmul, reshape } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { applyActivation, checkActivation, type LayerActivation } from './activations.js';
import { Layer, type BaseLayerOptions, type CallContext, type SymbolicShape, type WeightSpec } from './layer.js';
import { checkLayerOptions, positiveInteger } from '../option-checks.js';

export interface DenseOptions extends BaseLayerOptions {
  readonly units: number;
  /** Default `linear`. */
  readonly activation?: LayerActivation;
  /** Default true. */
  readonly useBias?: boolean;
  /** Default `glorot_uniform`. */
  readonly kernelInitializer?: InitializerSpec;
  /** Default `zeros`. */
  readonly biasInitializer?: InitializerSpec;
}

const OPTION_NAMES = ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer'];

/**
 * `output = activation(input · kernel + bias)` over the last axis (Keras Dense): on a sequence
 * `[N, T, F]` it applies the same weights at every step and passes the mask through.
 *
 * @example
 * new Dense({ units: 64, activation: 'softmax' })
 */
export class Dense extends Layer {
  readonly kind = 'Dense';
  readonly units: number;
  readonly activation: LayerActivation;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerSpec;
  readonly biasInitializer: InitializerSpec;

  constructor(options: DenseOptions) {
    super(options);
    checkLayerOptions('Dense', options, OPTION_NAMES);
    this.units = positiveInteger('Dense', 'units', options.units);
    this.activation = checkActivation('Dense', 'activation', options.activation ?? 'linear');
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = options.kernelInitializer ?? 'glorot_uniform';
    this.biasInitializer = options.biasInitializer ?? 'zeros';
  }

  private features(inputShape: SymbolicShape): number {
    const features = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || features === null) {
      throw new ShapeError(
        `Layer '${this.name}' (Dense) needs an input whose last axis has a known size, got ${formatShape(inputShape)}.`,
      );
    }
    return features;
  }

  outputShape(inputShape: SymbolicShape): SymbolicShape {
    this.features(inputShape);
    return [...inputShape.slice(0, -1), this.units];
  }

  override weightSpecs(inputShape: SymbolicShape): WeightSpec[] {
    const specs: WeightSpec[] = [
      {
        name: 'kernel',
        shape: [this.features(inputShape), this.units],
        initializer: this.kernelInitializer,
        trainable: true,
      },
    ];
    if (this.useBias)
      specs.push({ name: 'bias', shape: [this.units], initializer: this.biasInitializer, trainable: true });
    return specs;
  }

  call(x: Tensor, context: CallContext): Tensor {
    return applyActivation(this.activation, this.callPreActivation(x, context));
  }

  /** The output before the activation (logits), for losses that fold the activation in. */
  callPreActivation(x: Tensor, _context: CallContext): Tensor {
    const kernel = this.weight('kernel');
    this.checkInput(x, [...x.shape.slice(0, -1), kernel.shape[0]]);
    const flat = x.rank === 2 ? x : reshape(x, [-1, kernel.shape[0]]);
    let y = matmul(flat, kernel);
    if (this.useBias) y = add(y, this.weight('bias'));
    return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  override computeMask(x: Tensor, mask: Tensor | null): Tensor | null {
    return x.rank === 3 ? mask : null;
  }

  config(): Record<string, unknown> {
    return {
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
    };
  }
}
