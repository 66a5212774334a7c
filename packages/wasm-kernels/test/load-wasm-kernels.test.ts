import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadWasmKernels } from '../src/index.js';

/** How the module is found and what a caller hears when it cannot be loaded. */

const moduleUrl = new URL('../dist/recur-kernels.wasm', import.meta.url);

function identity(kernels: Awaited<ReturnType<typeof loadWasmKernels>>): number[] {
  const c = new Float32Array(4);
  const view = (values: number[]) => ({ values: new Float32Array(values), offset: 0, rowStride: 2, transposed: false });
  kernels.gemm(2, 2, 2, view([1, 2, 3, 4]), view([1, 0, 0, 1]), c, 0, 2, false);
  return Array.from(c);
}

describe('loadWasmKernels', () => {
  it('loads the module shipped in the package by default, from bytes, or from a compiled module', async () => {
    const bytes = await readFile(moduleUrl);
    for (const kernels of [
      await loadWasmKernels(),
      await loadWasmKernels({ source: bytes }),
      await loadWasmKernels({ source: await WebAssembly.compile(bytes) }),
    ]) {
      expect(kernels.name).toBe('wasm-simd');
      expect(identity(kernels)).toEqual([1, 2, 3, 4]);
    }
  });

  it('names the missing file and the build step', async () => {
    await expect(loadWasmKernels({ source: new URL('./no-such-kernels.wasm', import.meta.url) })).rejects.toThrow(
      /cannot read .*no-such-kernels\.wasm.*pnpm build/,
    );
  });

  it('says that WebAssembly SIMD is needed when the bytes do not compile', async () => {
    await expect(loadWasmKernels({ source: new Uint8Array([0, 97, 115, 109, 9, 9, 9, 9]) })).rejects.toThrow(
      /need WebAssembly SIMD/,
    );
  });

  it('refuses a negative resident budget', async () => {
    await expect(loadWasmKernels({ residentBytes: -1 })).rejects.toThrow(/residentBytes must be a non-negative number/);
  });
});
