/**
 * Design: the plug-in point of backend-ts for faster matrix products. Every dense matrix
 * product of the backend (the `matmul` primitive and the GEMMs inside the fused sequence
 * kernels, per time step included) goes through one function, `gemm`; a `MatrixKernels` object
 * given to `tsBackend({ kernels })` takes those products over, while everything else (element-
 * wise math, activations, the sparse one-hot products, layout) stays in TypeScript.
 *
 * With the products fast, the standard LSTM cell's element-wise step (three sigmoids, two
 * tanh and the state update, per unit and time step) costs more than its GEMMs. A provider
 * may therefore also implement `lstmCellForward` and `lstmCellBackward`, one time step of
 * that cell for a block of rows; backend-ts uses them when present and computes the step in
 * TypeScript otherwise (other activations, masked steps, providers without them). Per step,
 * the step's rows would then cross between the provider's memory and backend-ts's arrays
 * several times (the product, then the cell), so a provider may also take a whole unmasked
 * sequence at once (`lstmSequenceForward` / `lstmSequenceBackward`): the state and the
 * step's rows stay on its side for the whole time loop.
 *
 * The contract is raw Float32Arrays with offsets and strides rather than tensors, because the
 * sequence kernels multiply sub-matrices in place inside larger buffers (the rows of one time
 * step of a batch-major sequence). It is defined here, by the consumer, so a provider such as
 * `@recur/wasm-kernels` needs only `import type` from this package: no backend runs another
 * backend's code, and backend-ts keeps no dependency on any provider.
 */

/** A matrix inside a Float32Array: row-major storage with a row stride, optionally used transposed. */
export interface MatrixView {
  readonly values: Float32Array;
  /** Index of element (0, 0) of the stored (untransposed) matrix. */
  readonly offset: number;
  /** Distance between consecutive stored rows; columns are contiguous. */
  readonly rowStride: number;
  /** Whether the operand is used transposed. */
  readonly transposed: boolean;
  /**
   * True when `values` is a tensor's storage, which backend-ts does not write after creating it
   * (results are new arrays; a donated table written in place is announced first through
   * `release`). A provider may then keep a prepared copy of the operand keyed by the array's
   * identity, and reuse it while the array lives and is not released.
   * Absent or false for scratch buffers that a kernel reuses with new contents.
   */
  readonly immutable?: boolean;
}

/** Rows of equal width inside an array: row r starts at `offset + r * rowStride`. */
export interface RowBlock<T extends Float32Array | Float64Array = Float32Array> {
  readonly values: T;
  readonly offset: number;
  readonly rowStride: number;
}

/**
 * One time step of the standard LSTM cell, forward, for `rows` samples of `units` (H) units.
 * Gate blocks in each 4H row: i, f, g (the cell candidate), o.
 *
 *   i = sigmoid(z_i)   f = sigmoid(z_f)   g = tanh(z_g)   o = sigmoid(z_o)
 *   c' = f * c + i * g        h' = o * tanh(c')
 */
export interface LstmCellForwardStep {
  readonly rows: number;
  readonly units: number;
  /** The pre-activations z, rows of 4H; read only. */
  readonly z: RowBlock;
  /** Written: i, f, g, o, rows of 4H. */
  readonly gates: RowBlock;
  /** The carried cell state, [rows × H] contiguous: c on entry, c' on return. */
  readonly cell: Float32Array;
  /** Written: c' (the step's rows of the saved cells). */
  readonly cells: RowBlock;
  /** Written: tanh(c'). */
  readonly cellActivations: RowBlock;
  /** The carried hidden state, [rows × H] contiguous: written h'. */
  readonly hidden: Float32Array;
  /** Written: h' (the step's rows of the output sequence). */
  readonly sequence: RowBlock;
}

/**
 * The same step backward: from the gradients reaching h' and c', the gradients of z and of
 * the cell entering the step. Row widths as in `LstmCellForwardStep`.
 */
export interface LstmCellBackwardStep {
  readonly rows: number;
  readonly units: number;
  /** dL/dh' from the next step, float64 [rows × H] contiguous; set to 0 on return. */
  readonly dh: Float64Array;
  /** dL/dc' on entry, replaced by dL/dc (= dL/dc'_total * f), float64 [rows × H] contiguous. */
  readonly dc: Float64Array;
  /** dL/dh' from the step's output, added to `dh`; null when the sequence output is unused. */
  readonly sequenceGrad: RowBlock | null;
  /** i, f, g, o of the forward step. */
  readonly gates: RowBlock;
  /** tanh(c') of the forward step. */
  readonly cellActivations: RowBlock;
  /** c entering the step. */
  readonly previousCells: RowBlock;
  /** Written: dL/dz, rows of 4H, rounded to float32. */
  readonly dz: RowBlock;
}

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
 * x · kernel + bias (a product like `gemm`'s; one-hot rows may be summed from their nonzeros
 * only), then per step t: z_t += h · recurrentKernel, and the cell step of
 * `LstmCellForwardStep` on z_t.
 */
export interface LstmSequenceForwardPass extends LstmSequenceWeights {
  /** [4H], or null for none. */
  readonly bias: Float32Array | null;
  /** [N × H]: the initial h on entry, the final h on return. */
  readonly hidden: Float32Array;
  /** [N × H]: the initial c on entry, the final c on return. */
  readonly cell: Float32Array;
  /**
   * Written when not null, [N, T, 4H]: the pre-activations z. backend-ts passes null when the
   * provider also runs this sequence's backward, which reads the gates instead.
   */
  readonly z: Float32Array | null;
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
 * The same sequence backward, from the last step to the first: per step t, the cell step of
 * `LstmCellBackwardStep` gives dz_t, then dh += dz_t · recurrentKernelᵀ (the product rounded
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
  /** Written when not null: dL/d bias [4H], summed in float64 like backend-ts's `columnSums`. */
  readonly biasGrad: Float32Array | null;
  /** Written when not null: dL/dx [N, T, I]. */
  readonly xGrad: Float32Array | null;
}

/**
 * Matrix products for backend-ts to use instead of its own TypeScript loops.
 *
 * @example
 * ```ts
 * import { tsBackend } from '@recur/backend-ts';
 * import { loadWasmKernels } from '@recur/wasm-kernels';
 *
 * const backend = tsBackend({ kernels: await loadWasmKernels() });
 * ```
 */
export interface MatrixKernels {
  /** Shown in messages and benchmark tables, e.g. 'wasm-simd'. */
  readonly name: string;
  /**
   * C[m×n] = op(A)[m×k] · op(B)[k×n], or C += op(A) · op(B) when `accumulate`. C is row-major
   * in `c` from `cOffset` with `cRowStride` floats between rows; only its m × n entries may be
   * written. m, n and k are at least 1, and C never overlaps A or B. Sums may run in float32;
   * results must stay within float32 rounding of the exact product (the conformance suite's
   * 1e-5 tolerances on values near 1).
   */
  gemm(
    m: number,
    n: number,
    k: number,
    a: MatrixView,
    b: MatrixView,
    c: Float32Array,
    cOffset: number,
    cRowStride: number,
    accumulate: boolean,
  ): void;
  /**
   * Optional: one forward time step of the standard LSTM cell (see `LstmCellForwardStep`).
   * Results must match the definition computed in float64 and rounded to float32 where the
   * step's arrays store values, within 1 ulp of float32 for each sigmoid and tanh.
   */
  lstmCellForward?(step: LstmCellForwardStep): void;
  /**
   * Optional, with `lstmCellForward`: the step backward (see `LstmCellBackwardStep`), with
   * sigmoid' = y (1 - y) and tanh' = 1 - y^2 taken from the saved outputs y, in float64.
   */
  lstmCellBackward?(step: LstmCellBackwardStep): void;
  /**
   * Optional, with `lstmCellForward`: a whole unmasked sequence forward (see
   * `LstmSequenceForwardPass`), so a provider can keep the state and the step's rows in its own
   * memory across the time loop, and compute the products around it there too.
   */
  lstmSequenceForward?(pass: LstmSequenceForwardPass): void;
  /** Optional, with `lstmSequenceForward`: the sequence backward (see `LstmSequenceBackwardPass`). */
  lstmSequenceBackward?(pass: LstmSequenceBackwardPass): void;
  /**
   * Optional: backend-ts calls it when a tensor whose storage is `values` is disposed, so a
   * provider that keeps prepared copies of immutable operands (see `MatrixView.immutable`)
   * can reuse their memory at once rather than when the array is garbage-collected, and before
   * it writes new rows into a donated table's array (`scatterUpdate`), whose prepared copies are
   * then stale (without `release`, backend-ts copies donated tables instead). Another tensor
   * may still use the storage (a reshape, the updated table): a later product with it must
   * still be right, only its prepared copy may have to be made again.
   */
  release?(values: Float32Array): void;
}
