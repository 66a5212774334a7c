import type { ActivationName, FusedSequenceKernel, KernelBackend, RecurrentCellConfig } from '../../backend/kernel-backend.js';
import type { InitializerSpec } from '../../initializers/initializers.js';
import { activate, add, matmul, mul } from '../../ops/index.js';
import { ACTIVATION_NAMES } from '../../ops/arithmetic.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { WeightSpec } from '../layer.js';
import { checkOptionNames, oneOf, positiveInteger, rate } from '../../option-checks.js';
import type { CellWeights, RecurrentCell } from './recurrent-cell.js';

export interface SimpleRNNCellOptions {
  readonly units: number;
  /** Default `tanh`; `relu` gives PyTorch's RNN_RELU. */
  readonly activation?: ActivationName;
  readonly useBias?: boolean;
  readonly kernelInitializer?: InitializerSpec;
  readonly recurrentInitializer?: InitializerSpec;
  readonly biasInitializer?: InitializerSpec;
  readonly dropout?: number;
  readonly recurrentDropout?: number;
}

export const SIMPLE_RNN_CELL_OPTION_NAMES = [
  'units',
  'activation',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'dropout',
  'recurrentDropout',
] as const;

/**
 * The Elman recurrent cell, Keras layout: kernel `[I, H]`, recurrent kernel `[H, H]`, bias `[H]`.
 *
 *     h' = act(x·W + h·U + b)
 *
 * @example
 * new RNN({ cell: new SimpleRNNCell({ units: 16, activation: 'relu' }) })
 */
export class SimpleRNNCell implements RecurrentCell {
  readonly kind = 'SimpleRNNCell';
  readonly stateCount = 1;
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerSpec;
  readonly recurrentInitializer: InitializerSpec;
  readonly biasInitializer: InitializerSpec;
  readonly dropout: number;
  readonly recurrentDropout: number;

  constructor(options: SimpleRNNCellOptions) {
    checkOptionNames('SimpleRNNCell', options, SIMPLE_RNN_CELL_OPTION_NAMES);
    this.units = positiveInteger('SimpleRNN', 'units', options.units);
    this.activation = oneOf('SimpleRNN', 'activation', options.activation ?? 'tanh', ACTIVATION_NAMES);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = options.kernelInitializer ?? 'glorot_uniform';
    this.recurrentInitializer = options.recurrentInitializer ?? 'orthogonal';
    this.biasInitializer = options.biasInitializer ?? 'zeros';
    this.dropout = rate('SimpleRNN', 'dropout', options.dropout ?? 0);
    this.recurrentDropout = rate('SimpleRNN', 'recurrentDropout', options.recurrentDropout ?? 0);
  }

  /** SimpleRNN has no gates; `recurrentActivation` is unused and fixed so kernels can ignore it. */
  get cellConfig(): RecurrentCellConfig {
    return { activation: this.activation, recurrentActivation: 'sigmoid' };
  }

  weightSpecs(inputSize: number): WeightSpec[] {
    const H = this.units;
    const specs: WeightSpec[] = [
      { name: 'kernel', shape: [inputSize, H], initializer: this.kernelInitializer, trainable: true },
      { name: 'recurrent_kernel', shape: [H, H], initializer: this.recurrentInitializer, trainable: true },
    ];
    if (this.useBias) specs.push({ name: 'bias', shape: [H], initializer: this.biasInitializer, trainable: true });
    return specs;
  }

  fusedKernel(backend: KernelBackend): FusedSequenceKernel | undefined {
    return backend.simpleRnnSequence;
  }

  projectInput(x: Tensor, weights: CellWeights): Tensor {
    const projected = matmul(x, weights.kernel);
    return weights.bias === null ? projected : add(projected, weights.bias);
  }

  step(projected: Tensor, [h]: readonly Tensor[], weights: CellWeights, recurrentMask: Tensor | null): Tensor[] {
    const hIn = recurrentMask === null ? h : mul(h, recurrentMask);
    return [activate(this.activation, add(projected, matmul(hIn, weights.recurrentKernel)))];
  }

  config(): Record<string, unknown> {
    return {
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      recurrentInitializer: this.recurrentInitializer,
      biasInitializer: this.biasInitializer,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
    };
  }
}
