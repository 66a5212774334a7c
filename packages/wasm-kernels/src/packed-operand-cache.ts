import type { MatrixView } from '@recur/backend-ts';
import type { KernelMemory } from './kernel-memory.js';

interface PackedEntry {
  readonly offset: number;
  readonly rowStride: number;
  readonly transposed: boolean;
  readonly k: number;
  readonly n: number;
  readonly pointer: number;
  readonly generation: number;
}

/**
 * Packed copies of B operands kept in WebAssembly memory between calls, keyed by the identity
 * of the Float32Array they came from (plus the sub-matrix and transposition: one weight is
 * used as B and as B^T). Only operands marked `immutable` are kept: backend-ts marks tensor
 * storage, which it never writes again (an optimizer update makes a new array), so an array
 * that is still reachable still holds the values that were packed. The map is weak, so
 * dropping a weight drops its entries; their memory comes back when the resident region is
 * recycled (see KernelMemory), after which `generation` no longer matches and the entry is
 * packed again on its next use.
 *
 * This is what makes a batch-1 streaming step cheap: each step multiplies a vector by all
 * weights, and copying 3.4 MB of weights into the module every step would cost more than the
 * products themselves.
 */
export class PackedOperandCache {
  private readonly entries = new WeakMap<Float32Array, PackedEntry[]>();

  constructor(private readonly memory: KernelMemory) {}

  /** Byte offset of op(B) [k × n] packed, or -1 when it is not (or no longer) resident. */
  find(b: MatrixView, k: number, n: number): number {
    const list = this.entries.get(b.values);
    if (list === undefined) return -1;
    const generation = this.memory.generation;
    let found = -1;
    let live = 0;
    for (const entry of list) {
      if (entry.generation !== generation) continue;
      list[live++] = entry;
      if (entry.offset === b.offset && entry.rowStride === b.rowStride && entry.transposed === b.transposed && entry.k === k && entry.n === n) {
        found = entry.pointer;
      }
    }
    list.length = live;
    return found;
  }

  /** Records that op(B) [k × n] is packed at `pointer` in the current resident generation. */
  remember(b: MatrixView, k: number, n: number, pointer: number): void {
    const entry: PackedEntry = { offset: b.offset, rowStride: b.rowStride, transposed: b.transposed, k, n, pointer, generation: this.memory.generation };
    const list = this.entries.get(b.values);
    if (list === undefined) this.entries.set(b.values, [entry]);
    else list.push(entry);
  }
}
