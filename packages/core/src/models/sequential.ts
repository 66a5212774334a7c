import type { KernelBackend } from '../backend/kernel-backend.js';
import { Engine } from '../engine/engine.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import { toTensorData, type DataLike, type TensorData } from '../data/tensor-data.js';
import { Activation } from '../layers/activation.js';
import { Dense } from '../layers/dense.js';
import { defaultLayerName, type Layer, type LayerSpec, type SymbolicShape } from '../layers/layer.js';
import { layerFromSpec } from '../layers/layer-registry.js';
import { concat, slice } from '../ops/index.js';
import { RandomGenerator } from '../random/random-generator.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../variables/variable.js';
import { formatSummary, summaryRows, type SummaryRow } from './summary.js';
import { compileModel, type CompileOptions, type TrainingSetup } from '../training/compile.js';
import { evaluate, type EvaluateOptions } from '../training/evaluate.js';
import { fit, type FitOptions } from '../training/fit.js';
import { trainOnBatch } from '../training/train-on-batch.js';
import type { History } from '../training/callbacks/history.js';
import type { Logs } from '../training/callbacks/callback.js';

/** The JSON form of a model: everything but the weights. */
export interface ModelSpec {
  readonly format: 'recur-model';
  readonly formatVersion: 1;
  readonly kind: 'Sequential';
  readonly name: string;
  readonly inputShape: readonly (number | null)[];
  readonly layers: readonly LayerSpec[];
}

export interface SequentialOptions {
  readonly name?: string;
  /** Shape of one sample without the batch axis; or give `inputShape` on the first layer. */
  readonly inputShape?: readonly (number | null)[];
}

export interface BuildOptions {
  /** The backend whose tensors hold the weights, e.g. tsBackend(). */
  readonly backend: KernelBackend;
  /** Seed of core's generator: initial weights, dropout masks and shuffling. Default 42. */
  readonly seed?: number;
}

/** The forward pass of a model, optionally stopping before a final softmax or sigmoid. */
export interface ForwardResult {
  readonly output: Tensor;
  /** The final activation that was left out (the output is then logits), or null. */
  readonly foldedActivation: 'softmax' | 'sigmoid' | null;
  /** `[N, T]` mask of a sequence output (padding steps 0), or null. */
  readonly mask: Tensor | null;
}

/**
 * A stack of layers, each feeding the next (Keras Sequential). Shapes and parameter counts come
 * from the spec alone; `build` puts the weights on a backend.
 *
 * @example
 * const model = new Sequential([
 *   new LSTM({ units: 128, inputShape: [40, 64] }),
 *   new Dense({ units: 64, activation: 'softmax' }),
 * ]);
 * console.log(model.summary());
 * model.build({ backend: tsBackend(), seed: 1 });
 */
export class Sequential {
  readonly name: string;
  readonly layers: readonly Layer[];
  /** Input shape with the batch axis first (`null`). */
  readonly inputShape: SymbolicShape;
  /** `shapes[k]` is the input shape of layer k; the last entry is the model's output shape. */
  readonly shapes: readonly SymbolicShape[];
  private runtime: { engine: Engine; random: RandomGenerator } | null = null;
  /** Optimizer, loss and metrics set by `compile`; null before. */
  trainingSetup: TrainingSetup | null = null;
  /** Set (by a callback) to end `fit` after the current batch, as Keras's `stop_training`. */
  stopTraining = false;

  constructor(layers: readonly Layer[], options: SequentialOptions = {}) {
    if (!Array.isArray(layers) || layers.length === 0)
      throw new ValueError('Sequential needs a non-empty array of layers.');
    this.name = options.name ?? 'sequential';
    this.layers = layers;
    const used = new Set<string>();
    for (const layer of layers) {
      if (layer.name === '') {
        const base = defaultLayerName(layer.kind);
        let candidate = base;
        for (let k = 1; used.has(candidate); k++) candidate = `${base}_${k}`;
        layer.name = candidate;
      }
      if (used.has(layer.name))
        throw new ValueError(`Two layers are named '${layer.name}': layer names must be unique in a model.`);
      used.add(layer.name);
    }
    const inputShape = options.inputShape !== undefined ? [null, ...options.inputShape] : layers[0].inputShape;
    if (inputShape === undefined) {
      throw new ShapeError(
        `Sequential '${this.name}': give the shape of one sample, as inputShape on the first layer (e.g. new LSTM({ units: 32, inputShape: [40, 64] })).`,
      );
    }
    this.inputShape = inputShape;
    const shapes: SymbolicShape[] = [inputShape];
    for (const layer of layers) shapes.push(layer.outputShape(shapes[shapes.length - 1]));
    this.shapes = shapes;
  }

  get outputShape(): SymbolicShape {
    return this.shapes[this.shapes.length - 1];
  }

  /** The engine holding the weights; throws before `build`. */
  get engine(): Engine {
    return this.requireRuntime().engine;
  }

  /** Core's generator for this model (dropout, shuffling); throws before `build`. */
  get random(): RandomGenerator {
    return this.requireRuntime().random;
  }

  get isBuilt(): boolean {
    return this.runtime !== null;
  }

  private requireRuntime(): { engine: Engine; random: RandomGenerator } {
    if (this.runtime === null) {
      throw new ValueError(
        `Model '${this.name}' has no weights yet: call model.build({ backend }) (or compile with a backend) first.`,
      );
    }
    return this.runtime;
  }

  /** Creates the weights on `backend`, initialised from `seed`. */
  build(options: BuildOptions): this {
    const engine = new Engine(options.backend);
    const random = new RandomGenerator(options.seed ?? 42);
    this.disposeWeights();
    this.layers.forEach((layer, k) => layer.build(engine, this.shapes[k], random));
    this.runtime = { engine, random };
    return this;
  }

  summaryRows(): SummaryRow[] {
    return summaryRows(this.layers, this.shapes);
  }

  /** A Keras-style summary table: layers, output shapes, parameter counts. */
  summary(): string {
    return formatSummary(this.name, this.summaryRows());
  }

  parameterCount(): number {
    return this.summaryRows().reduce((total, row) => total + row.parameters, 0);
  }

  /** All variables, in layer order. */
  get weights(): Variable[] {
    return this.layers.flatMap((layer) => layer.weights);
  }

  get trainableWeights(): Variable[] {
    return this.weights.filter((variable) => variable.trainable);
  }

  /** Weights as named host arrays (Keras layout). */
  getWeights(): Map<string, TensorData> {
    return new Map(
      this.weights.map((variable) => [variable.name, { shape: [...variable.shape], values: variable.value.read() }]),
    );
  }

  /** Replaces weights by name; every name must exist and every shape match. */
  setWeights(weights: ReadonlyMap<string, TensorData> | Record<string, TensorData>): void {
    const engine = this.engine;
    const entries: [string, TensorData][] = weights instanceof Map ? [...weights.entries()] : Object.entries(weights);
    const byName = new Map(this.weights.map((variable) => [variable.name, variable]));
    for (const [name, data] of entries) {
      const variable = byName.get(name);
      if (variable === undefined) {
        throw new ValueError(
          `Model '${this.name}' has no weight named '${name}'. Its weights: ${[...byName.keys()].join(', ')}.`,
        );
      }
      if (
        data.shape.length !== variable.shape.length ||
        data.shape.some((d: number, k: number) => d !== variable.shape[k])
      ) {
        throw new ShapeError(
          `Weight '${name}' has shape ${formatShape(variable.shape)}, but the given values have shape ${formatShape(data.shape)}.`,
        );
      }
      variable.assign(engine.tensor(Float32Array.from(data.values), data.shape));
    }
  }

  /**
   * The forward pass on a tensor. With `foldFinalActivation`, a final softmax or sigmoid (on the
   * last Dense or Activation layer) is left out and reported, so a loss can use the logits.
   */
  forward(x: Tensor, options: { training?: boolean; foldFinalActivation?: boolean } = {}): ForwardResult {
    const { engine, random } = this.requireRuntime();
    if (x.engine !== engine)
      throw new ValueError(`The input tensor lives on another engine than model '${this.name}'.`);
    this.checkBatch(x);
    const training = options.training ?? false;
    const finalLayer = this.layers[this.layers.length - 1];
    const foldedActivation = options.foldFinalActivation === true ? foldableActivation(finalLayer) : null;
    let mask: Tensor | null = null;
    let value = x;
    for (const layer of this.layers) {
      const context = { training, mask, random };
      const next =
        layer === finalLayer && foldedActivation !== null
          ? (layer as Dense | Activation).callPreActivation(value, context)
          : layer.call(value, context);
      mask = layer.computeMask(value, mask);
      value = next;
    }
    return { output: value, foldedActivation, mask };
  }

  private checkBatch(x: Tensor): void {
    const expected = this.inputShape;
    const matches = x.rank === expected.length && expected.every((d, k) => d === null || d === x.shape[k]);
    if (!matches) {
      throw new ShapeError(
        `Model '${this.name}' expects input of shape ${formatShape(expected)} (batch first) but got ${formatShape(x.shape)}.`,
      );
    }
    const dtype = this.layers[0].inputDtype;
    if (x.dtype !== dtype) {
      throw new ValueError(
        `Model '${this.name}' expects ${dtype} input (its first layer is ${this.layers[0].kind}), got ${x.dtype}.`,
      );
    }
  }

  /** Uploads host data as this model's input tensor, checking shape, dtype and values. */
  inputTensor(x: DataLike, what = 'x'): Tensor {
    const data = toTensorData(x, this.layers[0].inputDtype, what);
    return this.engine.tensor(data.values, data.shape, this.layers[0].inputDtype);
  }

  /**
   * Inference on host data, in batches; returns host data.
   *
   * @example
   * const { shape, values } = model.predict([[0.1], [0.2], [0.3]].map((v) => [v]));
   */
  predict(x: DataLike, options: { batchSize?: number } = {}): TensorData {
    const engine = this.engine;
    const input = engine.tidy(() => this.inputTensor(x));
    const total = input.shape[0];
    const batchSize = options.batchSize ?? 32;
    const result = engine.tidy(() => {
      const parts: Tensor[] = [];
      for (let start = 0; start < total; start += batchSize) {
        const size = Math.min(batchSize, total - start);
        const batch = slice(input, [start, ...input.shape.slice(1).map(() => 0)], [size, ...input.shape.slice(1)]);
        parts.push(this.forward(batch).output);
      }
      return concat(parts, 0);
    });
    const data = { shape: [...result.shape], values: result.read() };
    result.dispose();
    input.dispose();
    return data;
  }

  /**
   * Chooses the optimizer, loss and metrics for `fit` and `evaluate`; with `backend`, also
   * builds the model if it is not built yet.
   *
   * @example
   * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], backend: tsBackend(), seed: 7 });
   */
  compile(options: CompileOptions): this {
    this.trainingSetup = compileModel(this, options);
    return this;
  }

  /**
   * Trains the compiled model; resolves to the per-epoch History (see `fit` in training/fit.ts).
   *
   * @example
   * const history = await model.fit(x, y, { epochs: 20, validationSplit: 0.1, callbacks: [new EarlyStopping({ patience: 2 })] });
   */
  fit(x: DataLike, y: DataLike, options: FitOptions = {}): Promise<History> {
    return fit(this, x, y, options);
  }

  /**
   * One optimizer step on one batch; returns the batch's loss (Keras `train_on_batch`).
   *
   * @example
   * for (const [x, y] of batches) console.log(model.trainOnBatch(x, y));
   */
  trainOnBatch(x: DataLike | Tensor, y: DataLike | Tensor): number {
    return trainOnBatch(this, x, y);
  }

  /**
   * The compiled loss and metrics on a dataset, e.g. `{ loss: 0.31, accuracy: 0.92 }`.
   *
   * @example
   * const { loss, accuracy } = model.evaluate(xTest, yTest);
   */
  evaluate(x: DataLike, y: DataLike, options: EvaluateOptions = {}): Logs {
    return evaluate(this, x, y, options);
  }

  spec(): ModelSpec {
    return {
      format: 'recur-model',
      formatVersion: 1,
      kind: 'Sequential',
      name: this.name,
      inputShape: this.inputShape.slice(1),
      layers: this.layers.map((layer) => layer.spec()),
    };
  }

  /** Rebuilds a model (without weights) from its spec. */
  static fromSpec(spec: ModelSpec): Sequential {
    if (spec === null || typeof spec !== 'object' || spec.format !== 'recur-model') {
      throw new ValueError("Not a Recur model spec: expected an object with format 'recur-model'.");
    }
    if (spec.formatVersion !== 1) {
      throw new ValueError(
        `Model spec format version ${String(spec.formatVersion)} is not supported by this Recur (it reads version 1).`,
      );
    }
    if (spec.kind !== 'Sequential')
      throw new ValueError(`Model kind ${JSON.stringify(spec.kind)} is not supported (only Sequential).`);
    if (!Array.isArray(spec.layers)) throw new ValueError("Model spec: 'layers' must be an array of layer specs.");
    return new Sequential(spec.layers.map(layerFromSpec), { name: spec.name, inputShape: spec.inputShape });
  }

  disposeWeights(): void {
    for (const layer of this.layers) layer.disposeWeights();
  }

  /** Releases the weights. */
  dispose(): void {
    this.disposeWeights();
    this.runtime = null;
  }
}

/** The softmax or sigmoid a final Dense or Activation layer applies, which a loss can fold in. */
function foldableActivation(layer: Layer): 'softmax' | 'sigmoid' | null {
  if (!(layer instanceof Dense || layer instanceof Activation)) return null;
  return layer.activation === 'softmax' || layer.activation === 'sigmoid' ? layer.activation : null;
}
