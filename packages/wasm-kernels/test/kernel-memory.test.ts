import { describe, expect, it } from 'vitest';
import type { KernelExports } from '../src/kernel-exports.js';
import { KernelMemory } from '../src/kernel-memory.js';

/**
 * The resident region's allocator on its own, over a bare WebAssembly memory: blocks given
 * back are handed out again (first fit, neighbours merged), so memory stays at what is in use;
 * only a region that blocks were never given back to is recycled as a whole.
 */

const KB = 1024;

function memoryWith(budget: number) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const exports = { memory, heapBase: () => 0 } as unknown as KernelExports;
  const kernelMemory = new KernelMemory(exports, budget);
  kernelMemory.scratch(4 * KB);
  const release = (start: number, bytes: number) => kernelMemory.releaseResident(start, bytes, kernelMemory.generation);
  return { kernelMemory, release, bytes: () => memory.buffer.byteLength };
}

describe('KernelMemory resident blocks', () => {
  it('hands a released block to the next request of its size: a training loop stops growing', () => {
    const { kernelMemory, release, bytes } = memoryWith(4096 * KB);
    const generation = kernelMemory.generation;
    let weights = [kernelMemory.resident(256 * KB), kernelMemory.resident(128 * KB)];
    const grown = bytes();
    for (let step = 0; step < 20; step++) {
      // Each step packs the new weights, then the old ones are disposed.
      const next = [kernelMemory.resident(256 * KB), kernelMemory.resident(128 * KB)];
      release(weights[0], 256 * KB);
      release(weights[1], 128 * KB);
      weights = next;
    }
    expect(bytes()).toBeLessThanOrEqual(grown + 384 * KB);
    expect(kernelMemory.generation).toBe(generation);
  });

  it('merges released neighbours, so a larger block fits where smaller ones were', () => {
    const { kernelMemory, release } = memoryWith(1024 * KB);
    const [a, b, c] = [kernelMemory.resident(64 * KB), kernelMemory.resident(64 * KB), kernelMemory.resident(64 * KB)];
    kernelMemory.resident(64 * KB); // keeps the three below the top
    release(a, 64 * KB);
    release(c, 64 * KB);
    release(b, 64 * KB);
    expect(kernelMemory.resident(192 * KB)).toBe(a);
  });

  it('lowers the top when the highest block is released, and reuses it', () => {
    const { kernelMemory, release } = memoryWith(1024 * KB);
    const low = kernelMemory.resident(32 * KB);
    const high = kernelMemory.resident(32 * KB);
    release(high, 32 * KB);
    release(low, 32 * KB);
    expect(kernelMemory.resident(64 * KB)).toBe(low);
  });

  it('recycles the whole region when blocks were never released, and ignores releases from before', () => {
    const { kernelMemory } = memoryWith(128 * KB);
    const before = kernelMemory.generation;
    const first = kernelMemory.resident(64 * KB);
    kernelMemory.resident(64 * KB);
    expect(kernelMemory.resident(64 * KB)).toBe(first); // budget spent: recycled
    expect(kernelMemory.generation).toBe(before + 1);
    kernelMemory.releaseResident(first, 64 * KB, before); // stale: that block is in use again
    expect(kernelMemory.resident(64 * KB)).not.toBe(first);
    expect(kernelMemory.resident(256 * KB)).toBe(-1); // beyond the whole budget
  });
});
