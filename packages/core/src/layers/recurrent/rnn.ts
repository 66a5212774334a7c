import { ShapeError, ValueError, formatShape } from '../../errors.js';
import { mul, reverse } from '../../ops/index.js';
import type { RandomGenerator } from '../../random/random-generator.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropoutMask } from '../dropout.js';
import { Layer, type BaseLayerOptions, type CallContext, type SymbolicShape, type WeightSpec } from '../layer.js';
import { checkLayerOptions } from '../../option-checks.js';
import type { RecurrentCell } from './recurrent-cell.js';
import { runSequence, type FusedKernelChoice } from './run-sequence.js';

export interface RNNLayerOptions extends BaseLayerOptions {
  /** Return the output of every step `[N, T, H]` instead of the last one `[N, H]`. */
  readonly returnSequences?: boolean;
  /** Also return the final states (see `run`). */
  readonly returnState?: boolean;
  /** Process the sequence in reverse; the returned sequence is in processing (reversed) order, as in Keras. */
  readonly goBackwards?: boolean;
  /** Use the backend's fused kernel: `'auto'` (default) when it supports the options. */
  readonly useFusedKernel?: FusedKernelChoice;
}

export interface RNNOptions extends RNNLayerOptions {
  readonly cell: RecurrentCell;
}

export const RNN_OPTION_NAMES = ['returnSequences', 'returnState', 'goBackwards', 'useFusedKernel'] as const;

/** Inputs to `RNN.run` besides the sequence. */
export interface RecurrentRunOptions {
  /** One `[N, H]` tensor per cell state (LSTM: `[h, c]`); zeros when absent. */
  readonly initialState?: readonly Tensor[];
  /** `[N, T]`: 1 for real steps, 0 for padding (skipped: state carried, output 0). */
  readonly mask?: Tensor | null;
  readonly training?: boolean;
  /** Needed when training with dropout. */
  readonly random?: RandomGenerator;
}

export interface RecurrentRunResult {
  /** `[N, T, H]` with returnSequences, else `[N, H]` (the state after the last processed step). */
  readonly output: Tensor;
  /** The final states, in the order of the cell's states. */
  readonly states: Tensor[];
}

/**
 * The generic recurrent layer: drives any RecurrentCell over time, with masks, initial state,
 * reverse processing and dropout, through the backend's fused kernel when it has one.
 *
 * Masked (padding) steps are skipped: the state is carried unchanged and the output there is 0,
 * as PyTorch's packed sequences and ONNX's `sequence_lens` define it (Keras's plain RNN repeats
 * the previous output instead; its Bidirectional zeroes it, as here).
 *
 * @example
 * const layer = new RNN({ cell: new LSTMCell({ units: 32 }), returnSequences: true });
 */
export class RNN extends Layer {
  readonly kind: string = 'RNN';
  readonly cell: RecurrentCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly useFusedKernel: FusedKernelChoice;

  constructor(options: RNNOptions) {
    super(options);
    if (new.target === RNN) checkLayerOptions('RNN', options, [...RNN_OPTION_NAMES, 'cell']);
    if (options.cell === undefined || typeof options.cell.step !== 'function') {
      throw new ValueError("RNN: 'cell' must be a recurrent cell such as new LSTMCell({ units: 32 }).");
    }
    this.cell = options.cell;
    this.returnSequences = options.returnSequences ?? false;
    this.returnState = options.returnState ?? false;
    this.goBackwards = options.goBackwards ?? false;
    this.useFusedKernel = options.useFusedKernel ?? 'auto';
  }

  get units(): number {
    return this.cell.units;
  }

  private inputSize(inputShape: SymbolicShape): number {
    const size = inputShape[2];
    if (inputShape.length !== 3 || size === null || size === undefined) {
      throw new ShapeError(
        `Layer '${this.name}' (${this.kind}) needs a sequence input [batch, time, features] with a known feature size, got ${formatShape(inputShape)}.`,
      );
    }
    return size;
  }

  outputShape(inputShape: SymbolicShape): SymbolicShape {
    this.inputSize(inputShape);
    return this.returnSequences ? [inputShape[0], inputShape[1], this.units] : [inputShape[0], this.units];
  }

  override weightSpecs(inputShape: SymbolicShape): WeightSpec[] {
    return this.cell.weightSpecs(this.inputSize(inputShape));
  }

  call(x: Tensor, context: CallContext): Tensor {
    return this.run(x, { mask: context.mask, training: context.training, random: context.random }).output;
  }

  override computeMask(_x: Tensor, mask: Tensor | null): Tensor | null {
    return this.returnSequences ? mask : null;
  }

  /** Runs the layer and returns its output and final states. */
  run(x: Tensor, options: RecurrentRunOptions = {}): RecurrentRunResult {
    const kernel = this.weight('kernel');
    if (x.dtype !== 'float32')
      throw new ValueError(`Layer '${this.name}' (${this.kind}) takes float32 input, got ${x.dtype}.`);
    this.checkInput(x, [null, null, kernel.shape[0]]);
    const [N, T] = x.shape;
    const H = this.units;
    const engine = x.engine;
    const initialState =
      options.initialState ?? Array.from({ length: this.cell.stateCount }, () => engine.zeros([N, H]));
    if (initialState.length !== this.cell.stateCount) {
      throw new ShapeError(
        `Layer '${this.name}' (${this.kind}) takes ${this.cell.stateCount} initial state tensor(s), got ${initialState.length}.`,
      );
    }
    initialState.forEach((state, k) => {
      if (state.rank !== 2 || state.shape[0] !== N || state.shape[1] !== H) {
        throw new ShapeError(
          `Layer '${this.name}' (${this.kind}): initial state ${k} must have shape [${N}, ${H}], got ${formatShape(state.shape)}.`,
        );
      }
    });
    let mask = options.mask ?? null;
    if (mask !== null && (mask.rank !== 2 || mask.shape[0] !== N || mask.shape[1] !== T)) {
      throw new ShapeError(
        `Layer '${this.name}' (${this.kind}): the mask must have shape [${N}, ${T}] to match the input, got ${formatShape(mask.shape)}.`,
      );
    }
    const training = options.training ?? false;
    const dropping = training && (this.cell.dropout > 0 || this.cell.recurrentDropout > 0);
    if (dropping && options.random === undefined) {
      throw new ValueError(
        `Layer '${this.name}' (${this.kind}) needs a random generator to draw dropout masks in training.`,
      );
    }
    let input = x;
    if (training && this.cell.dropout > 0) {
      input = mul(input, dropoutMask(engine, [N, 1, x.shape[2]], this.cell.dropout, options.random!));
    }
    const recurrentMask =
      training && this.cell.recurrentDropout > 0
        ? dropoutMask(engine, [N, H], this.cell.recurrentDropout, options.random!)
        : null;
    if (this.goBackwards) {
      input = reverse(input, 1);
      if (mask !== null) mask = reverse(mask, 1);
    }
    const weights = {
      kernel,
      recurrentKernel: this.weight('recurrent_kernel'),
      bias: this.cell.useBias ? this.weight('bias') : null,
      peepholeKernel: this.hasWeight('peephole_kernel') ? this.weight('peephole_kernel') : null,
    };
    const { sequence, finalState } = runSequence(
      this.cell,
      { x: input, initialState, weights, mask, recurrentMask },
      this.useFusedKernel,
    );
    return { output: this.returnSequences ? sequence : finalState[0], states: finalState };
  }

  config(): Record<string, unknown> {
    return {
      ...this.layerConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      useFusedKernel: this.useFusedKernel,
    };
  }

  /** The part of the config that describes the cell: RNN nests it; LSTM, GRU and SimpleRNN flatten it, as Keras does. */
  private layerConfig(): Record<string, unknown> {
    return this.kind === 'RNN' ? { cell: { kind: this.cell.kind, config: this.cell.config() } } : this.cell.config();
  }
}
