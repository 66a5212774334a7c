import type { DType } from '../backend/kernel-backend.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import type { InitializerSpec } from '../initializers/initializers.js';
import { gather } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type BaseLayerOptions, type CallContext, type SymbolicShape, type WeightSpec } from './layer.js';
import { checkLayerOptions, positiveInteger } from '../option-checks.js';

export interface EmbeddingOptions extends BaseLayerOptions {
  /** Vocabulary size: ids run from 0 to inputDim - 1. */
  readonly inputDim: number;
  /** Size of each embedding vector. */
  readonly outputDim: number;
  /** Treat id 0 as padding: produce a mask that recurrent layers use to skip those steps. */
  readonly maskZero?: boolean;
  /** Default `random_uniform` in [-0.05, 0.05] (Keras's `uniform`). */
  readonly embeddingsInitializer?: InitializerSpec;
}

const OPTION_NAMES = ['inputDim', 'outputDim', 'maskZero', 'embeddingsInitializer'];

/**
 * Maps int32 token ids `[N, T]` to vectors `[N, T, outputDim]` (Keras Embedding).
 *
 * @example
 * new Embedding({ inputDim: 20000, outputDim: 128, maskZero: true })
 */
export class Embedding extends Layer {
  readonly kind = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly embeddingsInitializer: InitializerSpec;

  constructor(options: EmbeddingOptions) {
    super(options);
    checkLayerOptions('Embedding', options, OPTION_NAMES);
    this.inputDim = positiveInteger('Embedding', 'inputDim', options.inputDim);
    this.outputDim = positiveInteger('Embedding', 'outputDim', options.outputDim);
    this.maskZero = options.maskZero ?? false;
    this.embeddingsInitializer = options.embeddingsInitializer ?? {
      name: 'random_uniform',
      minval: -0.05,
      maxval: 0.05,
    };
  }

  override get inputDtype(): DType {
    return 'int32';
  }

  outputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.outputDim];
  }

  override weightSpecs(): WeightSpec[] {
    return [
      {
        name: 'embeddings',
        shape: [this.inputDim, this.outputDim],
        initializer: this.embeddingsInitializer,
        trainable: true,
      },
    ];
  }

  call(ids: Tensor, _context: CallContext): Tensor {
    if (ids.dtype !== 'int32') {
      throw new ValueError(
        `Layer '${this.name}' (Embedding) takes int32 token ids, got ${ids.dtype} values of shape ${formatShape(ids.shape)}.`,
      );
    }
    if (ids.rank < 1) throw new ShapeError(`Layer '${this.name}' (Embedding) needs ids of rank >= 1, got a scalar.`);
    return gather(this.weight('embeddings'), ids, `Layer '${this.name}' (Embedding, inputDim ${this.inputDim})`);
  }

  override computeMask(ids: Tensor, _mask: Tensor | null): Tensor | null {
    if (!this.maskZero) return null;
    const values = ids.read();
    const mask = new Float32Array(values.length);
    for (let k = 0; k < values.length; k++) mask[k] = values[k] === 0 ? 0 : 1;
    return ids.engine.tensor(mask, ids.shape);
  }

  config(): Record<string, unknown> {
    return {
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      maskZero: this.maskZero,
      embeddingsInitializer: this.embeddingsInitializer,
    };
  }
}
