import type { KernelExports } from './kernel-exports.js';

const PAGE_BYTES = 65_536;
const ALIGNMENT = 64;

/** Rounds a byte count up to a multiple of the cache-line size, so every region starts aligned. */
export function aligned(bytes: number): number {
  return Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
}

/**
 * The WebAssembly module's linear memory, laid out by JavaScript in two regions:
 *
 *   [module data | scratch (one call's operands and result) | resident (prepared weights)]
 *
 * Scratch is reused by every call and only grows. The resident region is a bump allocator for
 * packed operands that outlive a call (see PackedOperandCache) with a byte budget: when the
 * budget is spent, the whole region is recycled at once and its `generation` advances, which
 * invalidates every entry handed out before. Growing scratch moves the resident region, so it
 * recycles it too (rare: scratch settles at the largest product after the first calls).
 *
 * WebAssembly memory never shrinks; growing it replaces `memory.buffer`, so `floats` is
 * refreshed after every growth (with `doubles`, the same memory as float64) and callers read them
 * anew after any allocation.
 */
export class KernelMemory {
  floats: Float32Array;
  doubles: Float64Array;
  generation = 0;
  private readonly scratchStart: number;
  private scratchBytes = 0;
  private residentTop: number;

  constructor(
    private readonly exports: KernelExports,
    private readonly residentBudget: number,
  ) {
    this.scratchStart = aligned(exports.heapBase());
    this.residentTop = this.scratchStart;
    this.floats = new Float32Array(exports.memory.buffer);
    this.doubles = new Float64Array(exports.memory.buffer);
  }

  /** Byte offset of a scratch region of at least `bytes`, valid until the next call. */
  scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      this.scratchBytes = Math.max(aligned(bytes), 2 * this.scratchBytes);
      this.recycleResident();
      this.reserve(this.scratchStart + this.scratchBytes);
    }
    return this.scratchStart;
  }

  /** Byte offset of `bytes` in the resident region, or -1 when they exceed the whole budget. */
  resident(bytes: number): number {
    const size = aligned(bytes);
    if (size > this.residentBudget) return -1;
    if (this.residentTop + size > this.residentStart() + this.residentBudget) this.recycleResident();
    const start = this.residentTop;
    this.residentTop += size;
    this.reserve(this.residentTop);
    return start;
  }

  private residentStart(): number {
    return this.scratchStart + this.scratchBytes;
  }

  private recycleResident(): void {
    this.generation++;
    this.residentTop = this.residentStart();
  }

  private reserve(end: number): void {
    const memory = this.exports.memory;
    if (end <= memory.buffer.byteLength) return;
    memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE_BYTES));
    this.floats = new Float32Array(memory.buffer);
    this.doubles = new Float64Array(memory.buffer);
  }
}
