import type { FusedSequenceKernel, KernelBackend, RecurrentCellConfig } from '../../backend/kernel-backend.js';
import { activate, add, matmul, mul } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { WeightSpec } from '../layer.js';
import { BaseCell, BASE_CELL_OPTION_NAMES, type BaseCellOptions } from './base-cell.js';
import type { CellWeights, RecurrentCell } from './recurrent-cell.js';

/** SimpleRNN takes only the shared cell options; `activation: 'relu'` gives PyTorch's RNN_RELU. */
export type SimpleRNNCellOptions = BaseCellOptions;

export const SIMPLE_RNN_CELL_OPTION_NAMES = BASE_CELL_OPTION_NAMES;

/**
 * The Elman recurrent cell, Keras layout: kernel `[I, H]`, recurrent kernel `[H, H]`, bias `[H]`.
 *
 *     h' = act(x·W + h·U + b)
 *
 * @example
 * new RNN({ cell: new SimpleRNNCell({ units: 16, activation: 'relu' }) })
 */
export class SimpleRNNCell extends BaseCell implements RecurrentCell {
  readonly kind = 'SimpleRNNCell';
  readonly stateCount = 1;

  constructor(options: SimpleRNNCellOptions) {
    super('SimpleRNN', 'SimpleRNNCell', options, []);
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
    return this.baseConfig();
  }
}
