/**
 * Design: the plug-in point of backend-ts for faster matrix products. Every dense matrix
 * product of the backend (the `matmul` primitive and the GEMMs inside the fused sequence
 * kernels, per time step included) goes through one function, `gemm`; a `MatrixKernels` object
 * given to `tsBackend({ kernels })` takes those products over, while everything else (element-
 * wise math, activations, the sparse one-hot products, layout) stays in TypeScript.
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
}
