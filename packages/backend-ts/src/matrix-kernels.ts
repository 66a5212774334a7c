/**
 * Design: the plug-in point of backend-ts for faster matrix products. Every dense matrix
 * product of a backend instance (the `matmul` primitive and the GEMMs inside the fused sequence
 * kernels, per time step included) goes through one function, `gemm`; a `MatrixKernels` object
 * given to `tsBackend({ matrixKernels })` takes those products over for that instance, while
 * everything else (element-wise math, activations, the sparse one-hot products, layout) stays
 * in TypeScript. The instance hands its provider to its kernels itself: no provider is ever
 * "current" at module level.
 *
 * This type is about products only. A provider that does more (a whole-sequence LSTM, say)
 * does not widen it: it decorates the backend instance through core's contract and overrides
 * the fused kernel there (`withWasmKernels` in `@recur/wasm-kernels`, over
 * `FusedSequenceKernel`). Such a decorator may rely on one fact of backend-ts's tensors: a
 * tensor's `handle` is its row-major Float32Array (Int32Array for int32), never written after
 * the tensor is made, except a donated table (announced first through `release`).
 *
 * The contract is raw Float32Arrays with offsets and strides rather than tensors, because the
 * sequence kernels multiply sub-matrices in place inside larger buffers (the rows of one time
 * step of a batch-major sequence). It is defined here, by the consumer, so a provider needs only
 * `import type` from this package: backend-ts keeps no dependency on any provider.
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

/**
 * Matrix products for backend-ts to use instead of its own TypeScript loops.
 *
 * @example
 * ```ts
 * import { tsBackend } from '@recur/backend-ts';
 * import { loadWasmKernels } from '@recur/wasm-kernels';
 *
 * const wasm = await loadWasmKernels();
 * const backend = tsBackend({ matrixKernels: wasm }); // products only; withWasmKernels adds the LSTM

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
