import type { Engine } from '../../engine/engine.js';
import { ShapeError, ValueError } from '../../errors.js';
import { add, concat, mul, reverse } from '../../ops/index.js';
import type { RandomGenerator } from '../../random/random-generator.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../variables/variable.js';
import {
  Layer,
  defaultLayerName,
  type BaseLayerOptions,
  type CallContext,
  type SymbolicShape,
  type WeightSpec,
} from '../layer.js';
import { layerFromSpec } from '../layer-registry.js';
import { checkLayerOptions } from '../../option-checks.js';
import { RNN, type RecurrentRunOptions } from './rnn.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;
const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

export interface BidirectionalOptions extends BaseLayerOptions {
  /** The recurrent layer to run in both directions; a reversed twin is made from its spec. */
  readonly layer: RNN;
  /** How the two directions' outputs combine; default `concat`; null keeps them apart (see `run`). */
  readonly mergeMode?: MergeMode;
}

export interface BidirectionalRunResult {
  /** The merged output (null when mergeMode is null). */
  readonly output: Tensor | null;
  /** Each direction's output; with returnSequences both are in original time order. */
  readonly forwardOutput: Tensor;
  readonly backwardOutput: Tensor;
  /** Forward states then backward states. */
  readonly states: Tensor[];
}

/**
 * Runs a recurrent layer forwards and a copy of it backwards (Keras Bidirectional). The
 * backward copy processes the sequence reversed; its returned sequence is flipped back so both
 * directions line up in time before merging. (ONNX's `reverse` direction returns original time
 * order directly; Keras's `goBackwards` alone does not.)
 *
 * @example
 * new Bidirectional({ layer: new LSTM({ units: 64, returnSequences: true }) })
 */
export class Bidirectional extends Layer {
  readonly kind = 'Bidirectional';
  readonly forward: RNN;
  readonly backward: RNN;
  readonly mergeMode: MergeMode;
  /** The wrapped layer's own name (`lstm`, or the name the user gave), without this layer's prefix. */
  private readonly innerName: string;

  constructor(options: BidirectionalOptions) {
    // Keras lets the wrapped layer carry the model's input shape.
    super({ ...options, inputShape: options.inputShape ?? options.layer?.inputShape?.slice(1) });
    checkLayerOptions('Bidirectional', options, ['layer', 'mergeMode']);
    if (!(options.layer instanceof RNN)) {
      throw new ValueError("Bidirectional: 'layer' must be a recurrent layer such as new LSTM({ units: 32 }).");
    }
    const mergeMode = options.mergeMode === undefined ? 'concat' : options.mergeMode;
    if (!MERGE_MODES.includes(mergeMode)) {
      throw new ValueError(
        `Bidirectional: 'mergeMode' must be one of 'concat', 'sum', 'mul', 'ave' or null, got ${JSON.stringify(mergeMode)}.`,
      );
    }
    this.mergeMode = mergeMode;
    this.forward = options.layer;
    // A spec saved by Recur names the wrapped layer `<bidirectional>/forward_<inner>`.
    const saved = /\/forward_(.+)$/.exec(options.layer.name);
    this.innerName = saved !== null ? saved[1] : options.layer.name || defaultLayerName(options.layer.kind);
    const spec = options.layer.spec();
    const twin = layerFromSpec({
      kind: spec.kind,
      config: { ...spec.config, inputShape: undefined, goBackwards: !options.layer.goBackwards },
    });
    this.backward = twin as RNN;
  }

  get returnSequences(): boolean {
    return this.forward.returnSequences;
  }

  get returnState(): boolean {
    return this.forward.returnState;
  }

  private nameHalves(): void {
    this.forward.name = `${this.name}/forward_${this.innerName}`;
    this.backward.name = `${this.name}/backward_${this.innerName}`;
  }

  outputShape(inputShape: SymbolicShape): SymbolicShape {
    const half = this.forward.outputShape(inputShape);
    if (this.mergeMode === null) {
      throw new ShapeError(
        `Layer '${this.name}' (Bidirectional) with mergeMode null has two outputs; use it through run(), not in a Sequential model.`,
      );
    }
    if (this.mergeMode !== 'concat') return half;
    const last = half[half.length - 1]!;
    return [...half.slice(0, -1), 2 * last];
  }

  override weightSpecs(inputShape: SymbolicShape): WeightSpec[] {
    this.nameHalves();
    const prefix = (layer: RNN) => (spec: WeightSpec) => ({
      ...spec,
      name: `${layer.name.slice(this.name.length + 1)}/${spec.name}`,
    });
    return [
      ...this.forward.weightSpecs(inputShape).map(prefix(this.forward)),
      ...this.backward.weightSpecs(inputShape).map(prefix(this.backward)),
    ];
  }

  override build(engine: Engine, inputShape: SymbolicShape, random: RandomGenerator): void {
    this.nameHalves();
    this.forward.build(engine, inputShape, random);
    this.backward.build(engine, inputShape, random);
  }

  override get weights(): Variable[] {
    return [...this.forward.weights, ...this.backward.weights];
  }

  override get built(): boolean {
    return this.forward.built && this.backward.built;
  }

  override disposeWeights(): void {
    this.forward?.disposeWeights();
    this.backward?.disposeWeights();
  }

  call(x: Tensor, context: CallContext): Tensor {
    const { output } = this.run(x, { mask: context.mask, training: context.training, random: context.random });
    if (output === null) {
      throw new ShapeError(
        `Layer '${this.name}' (Bidirectional) with mergeMode null has two outputs; call run() to get both.`,
      );
    }
    return output;
  }

  override computeMask(_x: Tensor, mask: Tensor | null): Tensor | null {
    return this.returnSequences ? mask : null;
  }

  /** Runs both directions; `initialState` holds the forward states followed by the backward ones. */
  run(x: Tensor, options: RecurrentRunOptions = {}): BidirectionalRunResult {
    const count = this.forward.cell.stateCount;
    const initialState = options.initialState;
    if (initialState !== undefined && initialState.length !== 2 * count) {
      throw new ShapeError(
        `Layer '${this.name}' (Bidirectional) takes ${2 * count} initial state tensors (forward then backward), got ${initialState.length}.`,
      );
    }
    const forward = this.forward.run(x, { ...options, initialState: initialState?.slice(0, count) });
    const backward = this.backward.run(x, { ...options, initialState: initialState?.slice(count) });
    const backwardOutput = this.returnSequences ? reverse(backward.output, 1) : backward.output;
    return {
      output: merge(this.mergeMode, forward.output, backwardOutput),
      forwardOutput: forward.output,
      backwardOutput,
      states: [...forward.states, ...backward.states],
    };
  }

  config(): Record<string, unknown> {
    const inner = this.forward.spec();
    return {
      layer: { kind: inner.kind, config: { ...inner.config, name: this.innerName } },
      mergeMode: this.mergeMode,
    };
  }
}

function merge(mode: MergeMode, forward: Tensor, backward: Tensor): Tensor | null {
  switch (mode) {
    case 'concat':
      return concat([forward, backward], -1);
    case 'sum':
      return add(forward, backward);
    case 'mul':
      return mul(forward, backward);
    case 'ave':
      return mul(add(forward, backward), 0.5);
    case null:
      return null;
  }
}
