/**
 * The functions and constants recur-kernels.wasm exports (sources in ../assembly). Pointers
 * are byte offsets into `memory`, sizes are in floats, flags are 0 or 1. The JavaScript side
 * owns the memory layout: the module keeps no state of its own.
 */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  /** Rows of the kernel's register tile (4). */
  readonly TILE_ROWS: WebAssembly.Global;
  /** Columns of the kernel's register tile (8). */
  readonly TILE_COLUMNS: WebAssembly.Global;
  /** First byte past the module's own data. */
  heapBase(): number;
  /** op(A) [m × k], stored row-major at `source` with `stride`, into tile-row panels at `target`. */
  packRows(source: number, stride: number, transposed: number, m: number, k: number, target: number): void;
  /** op(B) [k × n], stored row-major at `source` with `stride`, into tile-column panels at `target`. */
  packColumns(source: number, stride: number, transposed: number, k: number, n: number, target: number): void;
  /** C (=|+=) packed A · packed B on whole tiles; C row-major with `cStride`. */
  multiplyPacked(rowPanels: number, columnPanels: number, k: number, a: number, b: number, c: number, cStride: number, accumulate: number): void;
  /** m rows of op(A) read in place with strides, times packed B (m below a tile's rows). */
  multiplyRows(
    m: number,
    columnPanels: number,
    k: number,
    a: number,
    aRowStep: number,
    aColumnStep: number,
    b: number,
    c: number,
    cStride: number,
    accumulate: number,
  ): void;
  /** target[0 .. count) = sigmoid (`kind` 0) or tanh (`kind` 1) of source[...], float32. */
  activateValues(kind: number, source: number, target: number, count: number): void;
  /**
   * One LSTM step forward on contiguous rows: `gates` [rows × 4H] z in, i f g o out; `cells`
   * [rows × H] c in, c' out; tanh(c') into `cellActivations`, h' into `hidden`.
   */
  lstmCellForward(rows: number, units: number, gates: number, cells: number, cellActivations: number, hidden: number): void;
  /**
   * The step backward: float64 `dh` (zeroed) and `dc` (replaced by the previous cell's
   * gradient) [rows × H]; float32 `sequenceGrad` (read when `hasSequenceGrad`), `gates`,
   * `cellActivations`, `previousCells`; dz [rows × 4H] into `dz`.
   */
  lstmCellBackward(
    rows: number,
    units: number,
    dh: number,
    dc: number,
    sequenceGrad: number,
    hasSequenceGrad: number,
    gates: number,
    cellActivations: number,
    previousCells: number,
    dz: number,
  ): void;
}
