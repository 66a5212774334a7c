/**
 * The arrays of one whole-sequence LSTM pass in module-independent form: what
 * `wasmLstmSequence` reads from core's tensors and hands to lstm-sequence-passes.ts, which
 * copies them into the module's memory. Gate blocks in each 4H row: i, f, g, o (Keras order; g is the cell candidate).
 */

/** The layer's inputs and weights as both LSTM sequence passes take them: all tensor storage. */
export interface LstmSequenceWeights {
  /** N */
  readonly batch: number;
  /** T */
  readonly steps: number;
  /** I */
  readonly inputSize: number;
  /** H */
  readonly units: number;
  /** The input sequence [N, T, I], batch-major: row n * T + t is sample n at step t. */
  readonly x: Float32Array;
  /** [I × 4H], gate blocks i, f, g, o. */
  readonly kernel: Float32Array;
  /** [H × 4H]. */
  readonly recurrentKernel: Float32Array;
}

/**
 * A whole sequence of the standard LSTM cell forward, every sample processed at every step (no
 * mask). Buffers are batch-major like x ([N, T, W]). First the input projection of every row,
 * x · kernel + bias (one-hot rows summed from their nonzeros only), then per step t:
 * z_t += h · recurrentKernel, and the cell step on z_t (equations in core's lstm-cell.ts).
 */
export interface LstmSequenceForwardPass extends LstmSequenceWeights {
  /** [4H], or null for none. */
  readonly bias: Float32Array | null;
  /** [N × H]: the initial h on entry, the final h on return. */
  readonly hidden: Float32Array;
  /** [N × H]: the initial c on entry, the final c on return. */
  readonly cell: Float32Array;
  /** Written, [N, T, 4H]: i, f, g, o. */
  readonly gates: Float32Array;
  /** Written, [N, T, H]: c' of each step. */
  readonly cells: Float32Array;
  /** Written, [N, T, H]: tanh(c'). */
  readonly cellActivations: Float32Array;
  /** Written, [N, T, H]: the h entering each step. */
  readonly previousHidden: Float32Array;
  /** Written, [N, T, H]: h' of each step (the layer's output sequence). */
  readonly sequence: Float32Array;
}

/**
 * The same sequence backward, from the last step to the first: per step t, the cell step
 * backward gives dz_t, then dh += dz_t · recurrentKernelᵀ (the product rounded
 * to float32, the sum in float64). Then the gradients of the weights from all rows of dz:
 * xᵀ · dz, (the h entering each step)ᵀ · dz, the column sums of dz, and dz · kernelᵀ.
 */
export interface LstmSequenceBackwardPass extends LstmSequenceWeights {
  /** float64 [N × H]: dL/d final h on entry, dL/d initial h on return. */
  readonly dh: Float64Array;
  /** float64 [N × H]: dL/d final c on entry, dL/d initial c on return. */
  readonly dc: Float64Array;
  /** dL/d sequence [N, T, H], or null when the output sequence is unused. */
  readonly sequenceGrad: Float32Array | null;
  /** The forward pass's gates [N, T, 4H], tanh(c'), c' and the h entering each step [N, T, H]. */
  readonly gates: Float32Array;
  readonly cellActivations: Float32Array;
  readonly cells: Float32Array;
  readonly previousHidden: Float32Array;
  /** The initial c [N × H]. */
  readonly initialCell: Float32Array;
  /** Written: dL/d kernel [I × 4H]. */
  readonly kernelGrad: Float32Array;
  /** Written: dL/d recurrentKernel [H × 4H]. */
  readonly recurrentKernelGrad: Float32Array;
  /** Written when not null: dL/d bias [4H], summed in float64 like backend-ts's bias gradient. */
  readonly biasGrad: Float32Array | null;
  /** Written when not null: dL/dx [N, T, I]. */
  readonly xGrad: Float32Array | null;
}
