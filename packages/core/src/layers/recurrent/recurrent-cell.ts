import type { FusedSequenceKernel, KernelBackend, RecurrentCellConfig } from '../../backend/kernel-backend.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { WeightSpec } from '../layer.js';

/** The weights a cell computes with, as the RNN layer holds them. */
export interface CellWeights {
  readonly kernel: Tensor;
  readonly recurrentKernel: Tensor;
  readonly bias: Tensor | null;
  /** LSTM with `peephole: true`: `[3, H]`, rows i, f, o; absent otherwise. */
  readonly peepholeKernel?: Tensor | null;
}

/**
 * Design: a recurrent cell is the math of one time step, written once in core ops. The generic
 * RNN layer drives it over time (masks, direction, dropout, state); a backend may replace the
 * whole loop with its fused kernel for this cell (`fusedKernel`), which must compute the same
 * numbers. Cells compute the input projection `x · kernel (+ input bias)` for all steps at once
 * and then only the recurrent part per step.
 */
export interface RecurrentCell {
  /** Spec name, e.g. `LSTMCell`. */
  readonly kind: string;
  readonly units: number;
  /** Number of state tensors (LSTM: h and c; GRU and SimpleRNN: h). */
  readonly stateCount: number;
  /** Fraction of the input units dropped during training (one mask for all steps). */
  readonly dropout: number;
  /** Fraction of the recurrent units dropped during training (one mask for all steps). */
  readonly recurrentDropout: number;
  readonly useBias: boolean;
  readonly cellConfig: RecurrentCellConfig;

  weightSpecs(inputSize: number): WeightSpec[];
  /** The backend's fused kernel for this kind of cell, if it has one. */
  fusedKernel(backend: KernelBackend): FusedSequenceKernel | undefined;
  /** `x · kernel` plus the input-side bias, for `x` of shape `[rows, I]`. */
  projectInput(x: Tensor, weights: CellWeights): Tensor;
  /**
   * One step from the projected input `[N, G*H]` and the previous states; `recurrentMask`
   * (`[N, H]`, recurrent dropout) multiplies the previous h before the recurrent product.
   * Returns the new states; the step's output is the new h (`states[0]`).
   */
  step(projected: Tensor, states: readonly Tensor[], weights: CellWeights, recurrentMask: Tensor | null): Tensor[];
  /** The cell's options as JSON. */
  config(): Record<string, unknown>;
}
