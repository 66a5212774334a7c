import type { DType } from '../backend/kernel-backend.js';
import type { Engine } from '../engine/engine.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import { initialize, type InitializerSpec } from '../initializers/initializers.js';
import type { RandomGenerator } from '../random/random-generator.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Variable } from '../variables/variable.js';

/** A shape with the batch axis first; `null` where the size is only known at run time. */
export type SymbolicShape = readonly (number | null)[];

/** A weight a layer will own: computed from the spec alone, before any backend exists. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** A named initializer, or a function for composite ones (LSTM's unit forget bias). */
  readonly initializer: InitializerSpec | ((shape: readonly number[], random: RandomGenerator) => Float32Array);
  readonly trainable: boolean;
}

/** What a layer sees besides its input when it runs. */
export interface CallContext {
  /** True inside fit(): dropout is active. */
  readonly training: boolean;
  /** `[N, T]` float mask (1 = real step, 0 = padding) flowing from Embedding(maskZero) or Masking. */
  readonly mask: Tensor | null;
  /** Core's generator, for dropout masks. */
  readonly random: RandomGenerator;
}

/** The JSON form of a layer in a model spec. */
export interface LayerSpec {
  readonly kind: string;
  readonly config: Record<string, unknown>;
}

/** Options every layer accepts. */
export interface BaseLayerOptions {
  /** Unique name within the model; generated from the kind when absent (`lstm`, `lstm_1`, ...). */
  readonly name?: string;
  /** Shape of one sample (without the batch axis), on the first layer of a model. */
  readonly inputShape?: readonly (number | null)[];
}

/** Keras's default layer name for a kind: `SimpleRNN` -> `simple_rnn`, `TimeDistributed` -> `time_distributed`. */
export function defaultLayerName(kind: string): string {
  return kind
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Design: a layer is defined by its options alone. From the options and an input shape it
 * computes its output shape and weight shapes without touching a backend (so `summary()` never
 * runs compute); `build` then creates its variables on an engine, and `call` computes with core
 * ops, so one layer definition runs on every backend.
 */
export abstract class Layer {
  abstract readonly kind: string;
  /** Set by the model when the user gave none. */
  name: string;
  readonly inputShape: SymbolicShape | undefined;
  private readonly variables = new Map<string, Variable>();

  constructor(options: BaseLayerOptions) {
    this.name = options.name ?? '';
    this.inputShape = options.inputShape === undefined ? undefined : [null, ...options.inputShape];
  }

  /** The dtype the layer expects as input (Embedding takes int32 token ids). */
  get inputDtype(): DType {
    return 'float32';
  }

  abstract outputShape(inputShape: SymbolicShape): SymbolicShape;

  weightSpecs(_inputShape: SymbolicShape): WeightSpec[] {
    return [];
  }

  /** Number of parameters (trainable and not) for this input shape, as Keras counts them. */
  parameterCount(inputShape: SymbolicShape): number {
    return this.weightSpecs(inputShape).reduce((total, spec) => total + sizeOf(spec.shape), 0);
  }

  get built(): boolean {
    return this.variables.size > 0 || this.builtWithoutWeights;
  }
  private builtWithoutWeights = false;

  /** Creates the layer's variables on `engine`, drawing initial values from `random`. */
  build(engine: Engine, inputShape: SymbolicShape, random: RandomGenerator): void {
    this.disposeWeights();
    for (const spec of this.weightSpecs(inputShape)) {
      const values =
        typeof spec.initializer === 'function'
          ? spec.initializer(spec.shape, random)
          : initialize(spec.initializer, spec.shape, random);
      this.variables.set(
        spec.name,
        new Variable(`${this.name}/${spec.name}`, engine.tensor(values, spec.shape), spec.trainable),
      );
    }
    this.builtWithoutWeights = this.variables.size === 0;
  }

  /** The layer's variables, in the order of `weightSpecs`. */
  get weights(): Variable[] {
    return [...this.variables.values()];
  }

  /** The current value of one of this layer's weights, by its short name (`kernel`). */
  protected weight(name: string): Tensor {
    const variable = this.variables.get(name);
    if (variable === undefined) {
      throw new ValueError(
        `Layer '${this.name}' has no weight '${name}' yet: build the model (model.build or model.compile) before calling it.`,
      );
    }
    return variable.value;
  }

  protected hasWeight(name: string): boolean {
    return this.variables.has(name);
  }

  abstract call(x: Tensor, context: CallContext): Tensor;

  /** The mask of the output, given the input's (default: none survives). */
  computeMask(_x: Tensor, _mask: Tensor | null): Tensor | null {
    return null;
  }

  /** The layer's options as JSON for the model spec. */
  abstract config(): Record<string, unknown>;

  spec(): LayerSpec {
    const config: Record<string, unknown> = { name: this.name, ...this.config() };
    if (this.inputShape !== undefined) config.inputShape = this.inputShape.slice(1);
    return { kind: this.kind, config };
  }

  disposeWeights(): void {
    for (const variable of this.variables.values()) variable.dispose();
    this.variables.clear();
    this.builtWithoutWeights = false;
  }

  /**
   * Checks a run-time input against the shape this layer was built for, so a wrong input is
   * reported here by name rather than deep inside a kernel.
   */
  protected checkInput(x: Tensor, expected: SymbolicShape): void {
    const matches =
      x.rank === expected.length && expected.every((dimension, k) => dimension === null || dimension === x.shape[k]);
    if (!matches) {
      throw new ShapeError(
        `Layer '${this.name}' (${this.kind}) expected input of shape ${formatShape(expected)} but got ${formatShape(x.shape)}.`,
      );
    }
  }
}
