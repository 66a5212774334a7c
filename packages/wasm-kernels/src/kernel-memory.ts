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
 * Scratch is reused by every call and only grows. The resident region holds packed operands
 * that outlive a call (see PackedOperandCache), within a byte budget. Blocks are handed out
 * first fit from the blocks given back (`releaseResident`), else from the top of the region,
 * so a training loop, which gives back each old weight when it makes the new one, keeps
 * reusing the same bytes. When no block fits in the budget (blocks were never given back:
 * their arrays were simply dropped), the whole region is recycled at once and its
 * `generation` advances, which invalidates every block handed out before. Growing scratch
 * moves the resident region, so it recycles it too (rare: scratch settles at the largest
 * call after the first ones).
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
  /** Blocks given back below `residentTop`, by start, never adjacent (merged when freed). */
  private readonly freeBlocks: { start: number; size: number }[] = [];

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
      // A quarter more than before at least, so slowly growing calls do not grow it (and
      // recycle the resident region) every time; no more than asked past that, since memory
      // never shrinks.
      this.scratchBytes = Math.max(aligned(bytes), aligned(1.25 * this.scratchBytes));
      this.recycleResident();
      this.reserve(this.scratchStart + this.scratchBytes);
    }
    return this.scratchStart;
  }

  /**
   * Byte offsets of consecutive scratch blocks of the given byte sizes (each aligned), valid
   * until the next call.
   */
  scratchBlocks(sizes: readonly number[]): number[] {
    const total = sizes.reduce((sum, size) => sum + aligned(size), 0);
    let next = this.scratch(total);
    return sizes.map((size) => {
      const start = next;
      next += aligned(size);
      return start;
    });
  }

  /** Byte offset of `bytes` in the resident region, or -1 when they exceed the whole budget. */
  resident(bytes: number): number {
    const size = aligned(bytes);
    if (size > this.residentBudget) return -1;
    const reused = this.takeFreeBlock(size);
    if (reused >= 0) return reused;
    if (this.residentTop + size > this.residentStart() + this.residentBudget) this.recycleResident();
    const start = this.residentTop;
    this.residentTop += size;
    this.reserve(this.residentTop);
    return start;
  }

  /** Gives back a block that `resident(bytes)` returned in generation `generation`. */
  releaseResident(start: number, bytes: number, generation: number): void {
    if (generation !== this.generation) return; // recycled since: already free
    const size = aligned(bytes);
    const blocks = this.freeBlocks;
    let index = 0;
    while (index < blocks.length && blocks[index].start < start) index++;
    const before = index > 0 ? blocks[index - 1] : null;
    const after = index < blocks.length ? blocks[index] : null;
    let block = { start, size };
    if (before !== null && before.start + before.size === start) {
      before.size += size;
      block = before;
    } else {
      blocks.splice(index, 0, block);
      index++;
    }
    if (after !== null && block.start + block.size === after.start) {
      block.size += after.size;
      blocks.splice(index, 1);
    }
    // A block that reaches the top lowers it instead, so the top marks the bytes in use.
    const last = blocks[blocks.length - 1];
    if (last.start + last.size === this.residentTop) {
      this.residentTop = last.start;
      blocks.pop();
    }
  }

  private takeFreeBlock(size: number): number {
    const blocks = this.freeBlocks;
    for (let index = 0; index < blocks.length; index++) {
      const block = blocks[index];
      if (block.size < size) continue;
      const start = block.start;
      if (block.size === size) blocks.splice(index, 1);
      else {
        block.start += size;
        block.size -= size;
      }
      return start;
    }
    return -1;
  }

  private residentStart(): number {
    return this.scratchStart + this.scratchBytes;
  }

  private recycleResident(): void {
    this.generation++;
    this.residentTop = this.residentStart();
    this.freeBlocks.length = 0;
  }

  private reserve(end: number): void {
    const memory = this.exports.memory;
    if (end <= memory.buffer.byteLength) return;
    memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE_BYTES));
    this.floats = new Float32Array(memory.buffer);
    this.doubles = new Float64Array(memory.buffer);
  }
}
