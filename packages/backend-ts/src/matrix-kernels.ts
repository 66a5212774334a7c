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
 * TypeScript otherwise (other activations, masked steps, providers without them).
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
   * True when `values` is a tensor's storage, which backend-ts never writes after creating it
   * (every result, weight update included, is a new array). A provider may then keep a prepared
   * copy of the operand keyed by the array's identity, and reuse it while the array lives.
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
}
