import type { KernelExports } from './kernel-exports.js';
import { WasmMatrixKernels } from './wasm-matrix-kernels.js';

export interface LoadWasmKernelsOptions {
  /**
   * The module: a URL (fetched; `file:` URLs are read from disk in Node), its bytes, or a
   * compiled `WebAssembly.Module`. Default: `recur-kernels.wasm` beside this package's code,
   * found through `import.meta.url` (bundlers such as Vite and webpack copy it as an asset).
   * Pass a URL when the page serves the file from elsewhere.
   */
  readonly source?: URL | string | BufferSource | WebAssembly.Module;
  /**
   * Bytes of module memory for weights kept packed between calls (see the README). Weights
   * beyond it are packed again when next used. Default 16 MiB: four times the 3.4 MB of a
   * two-layer LSTM(256), while training (new weight arrays every step) stays within it.
   */
  readonly residentBytes?: number;
}

const DEFAULT_RESIDENT_BYTES = 16 * 1024 * 1024;

/**
 * Loads the WebAssembly SIMD kernels (float32, f32x4 lanes) for backend-ts: matrix products and
 * the whole-sequence LSTM, which `withWasmKernels` plugs into a backend-ts instance. Each call
 * instantiates its own module with its own memory.
 *
 * @example
 * ```ts
 * import { tsBackend } from '@recur/backend-ts';
 * import { loadWasmKernels, withWasmKernels } from '@recur/wasm-kernels';
 *
 * const backend = withWasmKernels(tsBackend, await loadWasmKernels());
 * // in a browser, when the .wasm is served elsewhere:
 * // await loadWasmKernels({ source: '/assets/recur-kernels.wasm' })
 * ```
 */
export async function loadWasmKernels(options: LoadWasmKernelsOptions = {}): Promise<WasmMatrixKernels> {
  const residentBytes = options.residentBytes ?? DEFAULT_RESIDENT_BYTES;
  if (!Number.isFinite(residentBytes) || residentBytes < 0) {
    throw new RangeError(
      `loadWasmKernels: residentBytes must be a non-negative number of bytes, got ${residentBytes}.`,
    );
  }
  const source = options.source ?? new URL('../dist/recur-kernels.wasm', import.meta.url);
  const module = source instanceof WebAssembly.Module ? source : await compile(await readModuleBytes(source));
  const instance = await WebAssembly.instantiate(module, {});
  return new WasmMatrixKernels(instance.exports as unknown as KernelExports, residentBytes);
}

async function readModuleBytes(source: URL | string | BufferSource): Promise<BufferSource> {
  if (typeof source !== 'string' && !(source instanceof URL)) return source;
  const url = source instanceof URL ? source : new URL(source, globalThis.location?.href ?? 'file:///');
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    try {
      // A Buffer from readFile owns an ordinary (never shared) ArrayBuffer.
      return (await readFile(url)) as Uint8Array<ArrayBuffer>;
    } catch (error) {
      throw new Error(
        `loadWasmKernels: cannot read ${url.href} (${(error as Error).message}). ` +
          'Build @recur/wasm-kernels (`pnpm build`, which compiles assembly/ with AssemblyScript) or pass `source`.',
      );
    }
  }
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(
      `loadWasmKernels: fetching ${url.href} gave HTTP ${response.status}. Serve recur-kernels.wasm there or pass its URL as \`source\`.`,
    );
  }
  return response.arrayBuffer();
}

async function compile(bytes: BufferSource): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes);
  } catch (error) {
    throw new Error(
      `loadWasmKernels: this runtime cannot compile the kernels (${(error as Error).message}). ` +
        'They need WebAssembly SIMD: Node 16.4+, Chrome 91+, Firefox 89+, Safari 16.4+.',
    );
  }
}
