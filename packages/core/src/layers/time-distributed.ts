import type { Engine } from '../engine/engine.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import type { RandomGenerator } from '../random/random-generator.js';
import { reshape } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../variables/variable.js';
import {
  Layer,
  defaultLayerName,
  type BaseLayerOptions,
  type CallContext,
  type SymbolicShape,
  type WeightSpec,
} from './layer.js';
import { checkLayerOptions } from '../option-checks.js';

export interface TimeDistributedOptions extends BaseLayerOptions {
  /** The layer applied to every time step with shared weights. */
  readonly layer: Layer;
}

/**
 * Applies a layer to every time step of `[N, T, ...]` with the same weights (Keras
 * TimeDistributed), by folding time into the batch axis; the mask passes through.
 *
 * @example
 * new TimeDistributed({ layer: new Dense({ units: 10, activation: 'softmax' }) })
 */
export class TimeDistributed extends Layer {
  readonly kind = 'TimeDistributed';
  readonly layer: Layer;

  constructor(options: TimeDistributedOptions) {
    super(options);
    checkLayerOptions('TimeDistributed', options, ['layer']);
    if (!(options.layer instanceof Layer))
      throw new ValueError("TimeDistributed: 'layer' must be a layer such as new Dense({ units: 10 }).");
    this.layer = options.layer;
  }

  private stepShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length < 3) {
      throw new ShapeError(
        `Layer '${this.name}' (TimeDistributed) needs input [batch, time, ...], got ${formatShape(inputShape)}.`,
      );
    }
    return [null, ...inputShape.slice(2)];
  }

  /** The wrapped layer's name within this one: weights are `<time_distributed>/<inner>/<weight>`. */
  private get innerName(): string {
    return defaultLayerName(this.layer.kind);
  }

  private nameInner(): void {
    this.layer.name = `${this.name}/${this.innerName}`;
  }

  outputShape(inputShape: SymbolicShape): SymbolicShape {
    const inner = this.layer.outputShape(this.stepShape(inputShape));
    return [inputShape[0], inputShape[1], ...inner.slice(1)];
  }

  override weightSpecs(inputShape: SymbolicShape): WeightSpec[] {
    return this.layer
      .weightSpecs(this.stepShape(inputShape))
      .map((spec) => ({ ...spec, name: `${this.innerName}/${spec.name}` }));
  }

  override build(engine: Engine, inputShape: SymbolicShape, random: RandomGenerator): void {
    this.nameInner();
    this.layer.build(engine, this.stepShape(inputShape), random);
  }

  override get weights(): Variable[] {
    return this.layer.weights;
  }

  override get built(): boolean {
    return this.layer.built;
  }

  override disposeWeights(): void {
    this.layer?.disposeWeights();
  }

  call(x: Tensor, context: CallContext): Tensor {
    const [N, T, ...rest] = x.shape;
    const folded = this.layer.call(reshape(x, [N * T, ...rest]), { ...context, mask: null });
    return reshape(folded, [N, T, ...folded.shape.slice(1)]);
  }

  override computeMask(_x: Tensor, mask: Tensor | null): Tensor | null {
    return mask;
  }

  config(): Record<string, unknown> {
    return { layer: this.layer.spec() };
  }
}
