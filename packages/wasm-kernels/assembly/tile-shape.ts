/**
 * The register tile of the GEMM kernel: TILE_ROWS rows of C by TILE_COLUMNS columns (two f32x4
 * vectors per row). Exported so the JavaScript side pads its buffers to whole tiles from the
 * same numbers the kernel is compiled with.
 */
export const TILE_ROWS: i32 = 4;
export const TILE_COLUMNS: i32 = 8;

/** Shared-dimension block: one packed B panel slice (KC × 8 floats, 16 KB) stays in L1. */
export const BLOCK_DEPTH: i32 = 512;

/** First byte the JavaScript side may use: the module keeps no data of its own past it. */
export function heapBase(): usize {
  return __heap_base;
}
