import type { MatrixView } from '@recur/backend-ts';
import { copyRows } from './copy-rows.js';
import type { KernelExports } from './kernel-exports.js';
import type { KernelMemory } from './kernel-memory.js';

/** One operand for `prepareTogether`: op(B) [k × n] and its two scratch blocks. */
export interface PackingRequest {
  readonly b: MatrixView;
  readonly k: number;
  readonly n: number;
  readonly storedScratch: number;
  readonly packedScratch: number;
}

interface PackedEntry {
  readonly offset: number;
  readonly rowStride: number;
  readonly transposed: boolean;
  readonly k: number;
  readonly n: number;
  readonly pointer: number;
  readonly bytes: number;
  readonly generation: number;
}

/**
 * B operands packed into the kernel's tile order, kept in WebAssembly memory between calls
 * when they are tensor storage, keyed by the identity of the Float32Array they came from
 * (plus the sub-matrix and transposition: one weight is used as B and as Bᵀ). Only operands
 * marked `immutable` are kept: backend-ts marks tensor storage, which it never writes again
 * (an optimizer update makes a new array), so an array that is still reachable still holds
 * the values that were packed.
 *
 * backend-ts says when a tensor is disposed (`release`): its entries' resident blocks are
 * given back at once, so a training loop packs each step's new weights into the blocks of the
 * previous step's and memory stops growing after the first step. Arrays that are dropped
 * without a release leave their blocks taken until the resident region is recycled (see
 * KernelMemory), after which `generation` no longer matches and an entry is packed again on
 * its next use; the map is weak, so the entries themselves go with their arrays.
 *
 * This is what makes a batch-1 streaming step cheap: each step multiplies a vector by all
 * weights, and copying 3.4 MB of weights into the module every step would cost more than the
 * products themselves.
 */
export class PackedOperandCache {
  private readonly entries = new WeakMap<Float32Array, PackedEntry[]>();
  private readonly tileColumns: number;

  constructor(
    private readonly exports: KernelExports,
    private readonly memory: KernelMemory,
  ) {
    this.tileColumns = exports.TILE_COLUMNS.value as number;
  }

  /**
   * Byte offset of op(B) [k × n] packed: found resident, else packed into the resident region
   * (immutable operands, while the budget allows) or into `packedScratch`, from a contiguous
   * copy at `storedScratch`. Both scratch blocks must be reserved by the caller, before this
   * call (reserving scratch may recycle the resident region).
   */
  prepare(b: MatrixView, k: number, n: number, storedScratch: number, packedScratch: number): number {
    let target = packedScratch;
    if (b.immutable === true) {
      const resident = this.find(b, k, n);
      if (resident >= 0) return resident;
      const bytes = 4 * k * Math.ceil(n / this.tileColumns) * this.tileColumns;
      const allocated = this.memory.resident(bytes);
      if (allocated >= 0) {
        target = allocated;
        this.remember(b, k, n, allocated, bytes);
      }
    }
    return this.pack(b, k, n, storedScratch, target);
  }

  /**
   * `prepare` for the operands of one call, which must all stay valid until it returns. When a
   * later operand recycles the resident region, it may be packed where an earlier one sits, so
   * then every operand is packed again into its own scratch block.
   */
  prepareTogether(operands: readonly PackingRequest[]): number[] {
    const generation = this.memory.generation;
    const pointers = operands.map(({ b, k, n, storedScratch, packedScratch }) =>
      this.prepare(b, k, n, storedScratch, packedScratch),
    );
    if (this.memory.generation === generation) return pointers;
    return operands.map(({ b, k, n, storedScratch, packedScratch }) =>
      this.pack(b, k, n, storedScratch, packedScratch),
    );
  }

  /** Copies op(B) [k × n] to `storedScratch` and packs it at `target`; returns `target`. */
  private pack(b: MatrixView, k: number, n: number, storedScratch: number, target: number): number {
    const [rows, columns] = b.transposed ? [n, k] : [k, n];
    copyRows(b.values, b.offset, b.rowStride, this.memory.floats, storedScratch >> 2, columns, rows, columns);
    this.exports.packColumns(storedScratch, columns, b.transposed ? 1 : 0, k, n, target);
    return target;
  }

  /** Forgets every packed copy of `values` and gives their resident blocks back. */
  release(values: Float32Array): void {
    const list = this.entries.get(values);
    if (list === undefined) return;
    this.entries.delete(values);
    for (const entry of list) this.memory.releaseResident(entry.pointer, entry.bytes, entry.generation);
  }

  /** Byte offset of op(B) [k × n] packed, or -1 when it is not (or no longer) resident. */
  private find(b: MatrixView, k: number, n: number): number {
    const list = this.entries.get(b.values);
    if (list === undefined) return -1;
    const generation = this.memory.generation;
    let found = -1;
    let live = 0;
    for (const entry of list) {
      if (entry.generation !== generation) continue;
      list[live++] = entry;
      if (
        entry.offset === b.offset &&
        entry.rowStride === b.rowStride &&
        entry.transposed === b.transposed &&
        entry.k === k &&
        entry.n === n
      ) {
        found = entry.pointer;
      }
    }
    list.length = live;
    return found;
  }

  private remember(b: MatrixView, k: number, n: number, pointer: number, bytes: number): void {
    const entry: PackedEntry = {
      offset: b.offset,
      rowStride: b.rowStride,
      transposed: b.transposed,
      k,
      n,
      pointer,
      bytes,
      generation: this.memory.generation,
    };
    const list = this.entries.get(b.values);
    if (list === undefined) this.entries.set(b.values, [entry]);
    else list.push(entry);
  }
}
