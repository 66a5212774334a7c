import type {
  ActivationName,
  FusedSequenceKernel,
  KernelBackend,
  RecurrentCellConfig,
} from '../../backend/kernel-backend.js';
import { activate, add, matmul, mul, reshape, slice, split, sub } from '../../ops/index.js';
import { ACTIVATION_NAMES } from '../../ops/arithmetic.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { WeightSpec } from '../layer.js';
import { oneOf } from '../../option-checks.js';
import { BaseCell, BASE_CELL_OPTION_NAMES, type BaseCellOptions } from './base-cell.js';
import type { CellWeights, RecurrentCell } from './recurrent-cell.js';

export interface GRUCellOptions extends BaseCellOptions {
  /** Gate activation; default `sigmoid`. */
  readonly recurrentActivation?: ActivationName;
  /**
   * Apply the reset gate after the recurrent product (default true: Keras 3, PyTorch, ONNX
   * `linear_before_reset=1`); false is Keras 2 / tfjs / ONNX's default variant.
   */
  readonly resetAfter?: boolean;
}

const OWN_OPTION_NAMES = ['recurrentActivation', 'resetAfter'] as const;
export const GRU_CELL_OPTION_NAMES = [...BASE_CELL_OPTION_NAMES, ...OWN_OPTION_NAMES] as const;

/**
 * The gated recurrent unit (Cho et al. 2014), Keras layout: kernel `[I, 3H]`, recurrent kernel
 * `[H, 3H]`, gate blocks in the order **z, r, h**; bias `[2, 3H]` (input row, recurrent row)
 * with resetAfter, else `[3H]`.
 *
 *     z  = σ(x·W_z + b_z + h·U_z + b'_z)       r = σ(x·W_r + b_r + h·U_r + b'_r)
 *     resetAfter:  h̃ = act(x·W_h + b_h + r ⊙ (h·U_h + b'_h))
 *     otherwise:   h̃ = act(x·W_h + b_h + (r ⊙ h)·U_h)
 *     h' = z ⊙ h + (1 − z) ⊙ h̃
 *
 * @example
 * new RNN({ cell: new GRUCell({ units: 64 }) })
 */
export class GRUCell extends BaseCell implements RecurrentCell {
  readonly kind = 'GRUCell';
  readonly stateCount = 1;
  readonly recurrentActivation: ActivationName;
  readonly resetAfter: boolean;

  constructor(options: GRUCellOptions) {
    super('GRU', 'GRUCell', options, OWN_OPTION_NAMES);
    this.recurrentActivation = oneOf(
      'GRU',
      'recurrentActivation',
      options.recurrentActivation ?? 'sigmoid',
      ACTIVATION_NAMES,
    );
    this.resetAfter = options.resetAfter ?? true;
  }

  get cellConfig(): RecurrentCellConfig {
    return { activation: this.activation, recurrentActivation: this.recurrentActivation, resetAfter: this.resetAfter };
  }

  weightSpecs(inputSize: number): WeightSpec[] {
    const H = this.units;
    const specs: WeightSpec[] = [
      { name: 'kernel', shape: [inputSize, 3 * H], initializer: this.kernelInitializer, trainable: true },
      { name: 'recurrent_kernel', shape: [H, 3 * H], initializer: this.recurrentInitializer, trainable: true },
    ];
    if (this.useBias)
      specs.push({
        name: 'bias',
        shape: this.resetAfter ? [2, 3 * H] : [3 * H],
        initializer: this.biasInitializer,
        trainable: true,
      });
    return specs;
  }

  fusedKernel(backend: KernelBackend): FusedSequenceKernel | undefined {
    return backend.gruSequence;
  }

  /** The input-side bias: row 0 of the `[2, 3H]` bias with resetAfter, else the whole bias. */
  private inputBias(bias: Tensor): Tensor {
    return this.resetAfter ? reshape(slice(bias, [0, 0], [1, -1]), [-1]) : bias;
  }

  projectInput(x: Tensor, weights: CellWeights): Tensor {
    const projected = matmul(x, weights.kernel);
    return weights.bias === null ? projected : add(projected, this.inputBias(weights.bias));
  }

  step(projected: Tensor, [h]: readonly Tensor[], weights: CellWeights, recurrentMask: Tensor | null): Tensor[] {
    const H = this.units;
    const hIn = recurrentMask === null ? h : mul(h, recurrentMask);
    const [xz, xr, xh] = split(projected, 1, H);
    let z: Tensor;
    let candidate: Tensor;
    if (this.resetAfter) {
      let recurrent = matmul(hIn, weights.recurrentKernel);
      if (weights.bias !== null) recurrent = add(recurrent, reshape(slice(weights.bias, [1, 0], [1, -1]), [-1]));
      const [rz, rr, rh] = split(recurrent, 1, H);
      z = activate(this.recurrentActivation, add(xz, rz));
      const r = activate(this.recurrentActivation, add(xr, rr));
      candidate = activate(this.activation, add(xh, mul(r, rh)));
    } else {
      const [uz, ur, uh] = split(weights.recurrentKernel, 1, H);
      z = activate(this.recurrentActivation, add(xz, matmul(hIn, uz)));
      const r = activate(this.recurrentActivation, add(xr, matmul(hIn, ur)));
      candidate = activate(this.activation, add(xh, matmul(mul(r, hIn), uh)));
    }
    // h' = z ⊙ h + (1 − z) ⊙ h̃ = h̃ + z ⊙ (h − h̃)
    return [add(candidate, mul(z, sub(h, candidate)))];
  }

  config(): Record<string, unknown> {
    return { ...this.baseConfig(), recurrentActivation: this.recurrentActivation, resetAfter: this.resetAfter };
  }
}
