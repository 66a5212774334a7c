import type { MatrixKernels, MatrixView } from '@recur/backend-ts';
import type { LstmSequenceBackwardPass, LstmSequenceForwardPass } from './lstm-sequence-pass.js';
import type { KernelExports } from './kernel-exports.js';
import { KernelMemory, aligned } from './kernel-memory.js';
import { PackedOperandCache } from './packed-operand-cache.js';
import { copyRows } from './copy-rows.js';
import { lstmSequenceBackwardInWasm, lstmSequenceForwardInWasm } from './lstm-sequence-passes.js';

/**
 * backend-ts's matrix products on recur-kernels.wasm. Per call: the stored operands are copied
 * into the module's memory (O(mk + kn) against O(mkn) multiply-adds), the module packs them into
 * its tile order and multiplies in f32x4 lanes, and the m × n result is copied back into C at
 * its offset and stride. B operands that are tensor storage stay packed in the module between
 * calls (PackedOperandCache), so a weight is copied once per optimizer update rather than once
 * per time step. Whole unmasked LSTM sequences run here too, time loop included
 * (lstm-sequence-passes.ts): `withWasmKernels` delivers them as core's fused LSTM kernel, with
 * these products inside the backend-ts instance it wraps, so both share one packed-operand
 * cache and one `release`.
 */
export class WasmMatrixKernels implements MatrixKernels {
  readonly name = 'wasm-simd';
  private readonly memory: KernelMemory;
  private readonly cache: PackedOperandCache;
  private readonly tileRows: number;
  private readonly tileColumns: number;

  constructor(
    private readonly exports: KernelExports,
    residentBytes: number,
  ) {
    this.memory = new KernelMemory(exports, residentBytes);
    this.cache = new PackedOperandCache(exports, this.memory);
    this.tileRows = exports.TILE_ROWS.value as number;
    this.tileColumns = exports.TILE_COLUMNS.value as number;
  }

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
  ): void {
    const kernel = this.exports;
    // Fewer rows than a tile: the rows are multiplied in place, unpacked (a vector times a matrix).
    const fewRows = m < this.tileRows;
    const rowPanels = Math.ceil(m / this.tileRows);
    const paddedRows = fewRows ? m : rowPanels * this.tileRows;
    const columnPanels = Math.ceil(n / this.tileColumns);
    const cStride = columnPanels * this.tileColumns;

    const aStored = 0;
    const aPacked = aStored + aligned(4 * m * k);
    const bStored = aPacked + (fewRows ? 0 : aligned(4 * paddedRows * k));
    const bPacked = bStored + aligned(4 * k * n);
    const cStart = bPacked + aligned(4 * k * cStride);
    const base = this.memory.scratch(cStart + 4 * paddedRows * cStride);

    const packedB = this.cache.prepare(b, k, n, base + bStored, base + bPacked);
    const floats = this.memory.floats;
    const a0 = base + aStored;
    copyStored(floats, a, a.transposed ? k : m, a.transposed ? m : k, a0);
    const c0 = base + cStart;
    if (accumulate) copyRows(c, cOffset, cRowStride, floats, c0 >> 2, cStride, m, n);
    if (fewRows) {
      // op(A)[i][p] sits at i * k + p in a stored [m × k] copy, at p * m + i in a stored [k × m] one.
      const rowStep = a.transposed ? 1 : k;
      const columnStep = a.transposed ? m : 1;
      kernel.multiplyRows(m, columnPanels, k, a0, rowStep, columnStep, packedB, c0, cStride, accumulate ? 1 : 0);
    } else {
      kernel.packRows(a0, a.transposed ? m : k, a.transposed ? 1 : 0, m, k, base + aPacked);
      kernel.multiplyPacked(rowPanels, columnPanels, k, base + aPacked, packedB, c0, cStride, accumulate ? 1 : 0);
    }
    copyRows(floats, c0 >> 2, cStride, c, cOffset, cRowStride, m, n);
  }

  /** A whole unmasked sequence of the standard LSTM cell forward (see `LstmSequenceForwardPass`). */
  lstmSequenceForward(pass: LstmSequenceForwardPass): void {
    lstmSequenceForwardInWasm(this.exports, this.memory, this.cache, pass);
  }

  /** The same sequence backward (see `LstmSequenceBackwardPass`). */
  lstmSequenceBackward(pass: LstmSequenceBackwardPass): void {
    lstmSequenceBackwardInWasm(this.exports, this.memory, this.cache, pass);
  }

  release(values: Float32Array): void {
    this.cache.release(values);
  }
}

/** The stored [rows × columns] matrix of `view` into `floats` from byte `target`, rows made contiguous. */
function copyStored(floats: Float32Array, view: MatrixView, rows: number, columns: number, target: number): void {
  copyRows(view.values, view.offset, view.rowStride, floats, target >> 2, columns, rows, columns);
}
