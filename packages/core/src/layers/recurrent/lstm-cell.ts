import type { ActivationName, FusedSequenceKernel, KernelBackend, RecurrentCellConfig } from '../../backend/kernel-backend.js';
import { initialize, type InitializerSpec } from '../../initializers/initializers.js';
import { activate, add, matmul, mul, split } from '../../ops/index.js';
import type { RandomGenerator } from '../../random/random-generator.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { WeightSpec } from '../layer.js';
import { checkOptionNames, oneOf, positiveInteger, rate } from '../../option-checks.js';
import { ACTIVATION_NAMES } from '../../ops/arithmetic.js';
import type { CellWeights, RecurrentCell } from './recurrent-cell.js';

export interface LSTMCellOptions {
  readonly units: number;
  /** Candidate and output activation; default `tanh`. */
  readonly activation?: ActivationName;
  /** Gate activation; default `sigmoid` (Keras 3; tfjs defaults to hard sigmoid). */
  readonly recurrentActivation?: ActivationName;
  readonly useBias?: boolean;
  /** Default `glorot_uniform`. */
  readonly kernelInitializer?: InitializerSpec;
  /** Default `orthogonal`. */
  readonly recurrentInitializer?: InitializerSpec;
  /** Default `zeros`. */
  readonly biasInitializer?: InitializerSpec;
  /** Initialise the forget-gate bias to 1 (Jozefowicz et al. 2015); default true. */
  readonly unitForgetBias?: boolean;
  readonly dropout?: number;
  readonly recurrentDropout?: number;
}

export const LSTM_CELL_OPTION_NAMES = [
  'units',
  'activation',
  'recurrentActivation',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'unitForgetBias',
  'dropout',
  'recurrentDropout',
] as const;

/**
 * The LSTM cell (Hochreiter & Schmidhuber 1997, with forget gate), Keras layout: kernel
 * `[I, 4H]`, recurrent kernel `[H, 4H]`, bias `[4H]`, gate blocks in the order **i, f, c, o**.
 *
 *     z  = x · W + h · U + b
 *     i  = σ(z_i)   f = σ(z_f)   c̃ = act(z_c)   o = σ(z_o)      (σ = recurrentActivation)
 *     c' = f ⊙ c + i ⊙ c̃
 *     h' = o ⊙ act(c')
 *
 * @example
 * new RNN({ cell: new LSTMCell({ units: 64 }), returnSequences: true })
 */
export class LSTMCell implements RecurrentCell {
  readonly kind = 'LSTMCell';
  readonly stateCount = 2;
  readonly units: number;
  readonly activation: ActivationName;
  readonly recurrentActivation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerSpec;
  readonly recurrentInitializer: InitializerSpec;
  readonly biasInitializer: InitializerSpec;
  readonly unitForgetBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;

  constructor(options: LSTMCellOptions) {
    checkOptionNames('LSTMCell', options, LSTM_CELL_OPTION_NAMES);
    this.units = positiveInteger('LSTM', 'units', options.units);
    this.activation = oneOf('LSTM', 'activation', options.activation ?? 'tanh', ACTIVATION_NAMES);
    this.recurrentActivation = oneOf('LSTM', 'recurrentActivation', options.recurrentActivation ?? 'sigmoid', ACTIVATION_NAMES);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = options.kernelInitializer ?? 'glorot_uniform';
    this.recurrentInitializer = options.recurrentInitializer ?? 'orthogonal';
    this.biasInitializer = options.biasInitializer ?? 'zeros';
    this.unitForgetBias = options.unitForgetBias ?? true;
    this.dropout = rate('LSTM', 'dropout', options.dropout ?? 0);
    this.recurrentDropout = rate('LSTM', 'recurrentDropout', options.recurrentDropout ?? 0);
  }

  get cellConfig(): RecurrentCellConfig {
    return { activation: this.activation, recurrentActivation: this.recurrentActivation };
  }

  weightSpecs(inputSize: number): WeightSpec[] {
    const H = this.units;
    const specs: WeightSpec[] = [
      { name: 'kernel', shape: [inputSize, 4 * H], initializer: this.kernelInitializer, trainable: true },
      { name: 'recurrent_kernel', shape: [H, 4 * H], initializer: this.recurrentInitializer, trainable: true },
    ];
    if (this.useBias) {
      const biasInitializer = this.biasInitializer;
      const initializer = this.unitForgetBias
        ? (_shape: readonly number[], random: RandomGenerator) => {
            // Keras: bias_initializer for i, ones for f, bias_initializer for c and o.
            const values = new Float32Array(4 * H);
            values.set(initialize(biasInitializer, [H], random), 0);
            values.fill(1, H, 2 * H);
            values.set(initialize(biasInitializer, [2 * H], random), 2 * H);
            return values;
          }
        : biasInitializer;
      specs.push({ name: 'bias', shape: [4 * H], initializer, trainable: true });
    }
    return specs;
  }

  fusedKernel(backend: KernelBackend): FusedSequenceKernel | undefined {
    return backend.lstmSequence;
  }

  projectInput(x: Tensor, weights: CellWeights): Tensor {
    const projected = matmul(x, weights.kernel);
    return weights.bias === null ? projected : add(projected, weights.bias);
  }

  step(projected: Tensor, [h, c]: readonly Tensor[], weights: CellWeights, recurrentMask: Tensor | null): Tensor[] {
    const hIn = recurrentMask === null ? h : mul(h, recurrentMask);
    const z = add(projected, matmul(hIn, weights.recurrentKernel));
    const [zi, zf, zc, zo] = split(z, 1, this.units);
    const i = activate(this.recurrentActivation, zi);
    const f = activate(this.recurrentActivation, zf);
    const candidate = activate(this.activation, zc);
    const o = activate(this.recurrentActivation, zo);
    const cNext = add(mul(f, c), mul(i, candidate));
    const hNext = mul(o, activate(this.activation, cNext));
    return [hNext, cNext];
  }

  config(): Record<string, unknown> {
    return {
      units: this.units,
      activation: this.activation,
      recurrentActivation: this.recurrentActivation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      recurrentInitializer: this.recurrentInitializer,
      biasInitializer: this.biasInitializer,
      unitForgetBias: this.unitForgetBias,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
    };
  }
}
