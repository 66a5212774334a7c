/**
 * General matrix multiply on raw Float32Arrays: C = op(A) · op(B), or C += op(A) · op(B).
 * Shared by `matmul` and the fused sequence kernels, which address sub-matrices inside larger
 * buffers (every time step of a batch-major sequence), hence the offsets and row strides.
 *
 * Sums run in float64 (JS numbers) and are stored in float32 once per output element.
 * Loop order keeps the innermost loop on contiguous memory: without a transposed B it is
 * i-k-j (a row of B streams into a float64 row accumulator); with a transposed B both A's row
 * and B's row (= column of op(B)) are contiguous, so it is i-j-k with a dot product.
 */
export interface MatrixView {
  readonly values: Float32Array;
  /** Index of element (0, 0) of the stored (untransposed) matrix. */
  readonly offset: number;
  /** Distance between consecutive stored rows; columns are contiguous. */
  readonly rowStride: number;
  /** Whether the operand is used transposed. */
  readonly transposed: boolean;
}

/**
 * C[m×n] (=|+=) op(A)[m×k] · op(B)[k×n]. `c` has contiguous columns and row stride
 * `cRowStride`. `scratch`, if given, is a Float64Array of length >= n reused between calls so
 * per-time-step callers allocate nothing.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: Float32Array,
  cOffset: number,
  cRowStride: number,
  accumulate: boolean,
  scratch: Float64Array | null = null,
): void {
  const av = a.values;
  const bv = b.values;
  // op(A)[i][p] = av[aBase + i * aRow + p * aCol]
  const aRow = a.transposed ? 1 : a.rowStride;
  const aCol = a.transposed ? a.rowStride : 1;
  const aBase = a.offset;

  if (b.transposed) {
    // op(B)[p][j] = bv[b.offset + j * b.rowStride + p]: row j of B is column j of op(B).
    const bRow = b.rowStride;
    for (let i = 0; i < m; i++) {
      const aStart = aBase + i * aRow;
      const cStart = cOffset + i * cRowStride;
      for (let j = 0; j < n; j++) {
        const bStart = b.offset + j * bRow;
        let sum = accumulate ? c[cStart + j] : 0;
        if (aCol === 1) {
          for (let p = 0; p < k; p++) sum += av[aStart + p] * bv[bStart + p];
        } else {
          for (let p = 0; p < k; p++) sum += av[aStart + p * aCol] * bv[bStart + p];
        }
        c[cStart + j] = sum;
      }
    }
    return;
  }

  const row = scratch !== null && scratch.length >= n ? scratch : new Float64Array(n);
  const bRow = b.rowStride;
  for (let i = 0; i < m; i++) {
    const aStart = aBase + i * aRow;
    const cStart = cOffset + i * cRowStride;
    if (accumulate) {
      for (let j = 0; j < n; j++) row[j] = c[cStart + j];
    } else {
      row.fill(0, 0, n);
    }
    for (let p = 0; p < k; p++) {
      const scale = av[aStart + p * aCol];
      const bStart = b.offset + p * bRow;
      for (let j = 0; j < n; j++) row[j] += scale * bv[bStart + j];
    }
    for (let j = 0; j < n; j++) c[cStart + j] = row[j];
  }
}

/** A view of a dense row-major [rows, columns] matrix starting at `offset`. */
export function denseView(values: Float32Array, columns: number, transposed = false, offset = 0): MatrixView {
  return { values, offset, rowStride: columns, transposed };
}
