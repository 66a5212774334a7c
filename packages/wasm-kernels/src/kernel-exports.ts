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
  multiplyPacked(
    rowPanels: number,
    columnPanels: number,
    k: number,
    a: number,
    b: number,
    c: number,
    cStride: number,
    accumulate: number,
  ): void;
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
  lstmCellForward(
    rows: number,
    units: number,
    gates: number,
    cells: number,
    cellActivations: number,
    hidden: number,
  ): void;
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
  /**
   * C (=|+=) op(A) · packed B with op(A) [m × k] read from its stored form (`aStride`,
   * `transposed`), packed into `packedA` when m fills a tile, read in place otherwise.
   */
  multiplyStored(
    m: number,
    k: number,
    a: number,
    aStride: number,
    transposed: number,
    packedA: number,
    columnPanels: number,
    b: number,
    c: number,
    cStride: number,
    accumulate: number,
  ): void;
  /** How many of `count` floats at `values` are nonzero. */
  countNonzeros(values: number, count: number): number;
  /**
   * C [m × n] = seed + A · B from A's nonzeros (seed: n floats, or 0 for none), each entry
   * summed in float64 (`accumulator`: n doubles) and rounded once.
   */
  sparseRowsTimes(
    m: number,
    n: number,
    k: number,
    a: number,
    aStride: number,
    b: number,
    bStride: number,
    seed: number,
    c: number,
    cStride: number,
    accumulator: number,
  ): void;
  /** C [k × n] = Aᵀ · B for A [m × k], B [m × n], from A's nonzeros (`accumulators`: k × n doubles). */
  sparseTransposedTimes(
    m: number,
    n: number,
    k: number,
    a: number,
    aStride: number,
    b: number,
    bStride: number,
    c: number,
    cStride: number,
    accumulators: number,
  ): void;
  /** Rows [0, rows) of `target` (`stride` floats apart) = the `width` floats at `seed`. */
  seedRows(rows: number, width: number, seed: number, target: number, stride: number): void;
  /** out [width] = column sums of `values` [rows × width] in float64 (`sums`: width doubles), rounded once. */
  columnSums(rows: number, width: number, values: number, stride: number, sums: number, out: number): void;
  /**
   * A whole LSTM sequence forward (assembly/lstm-sequence.ts): batch-major `z` (x · kernel +
   * bias in, full pre-activations out; rows 4H rounded up to whole tile columns apart, room
   * for the samples rounded up to whole tile rows), outputs `gates` .. `sequence`, the carried
   * `hidden` and `cell` (initial in, final out), the packed recurrent kernel, scratch
   * `packedHidden` (padded rows × H).
   */
  lstmSequenceForward(
    rows: number,
    steps: number,
    units: number,
    z: number,
    gates: number,
    cells: number,
    cellActivations: number,
    previousHidden: number,
    sequence: number,
    hidden: number,
    cell: number,
    recurrent: number,
    packedHidden: number,
  ): void;
  /**
   * The sequence backward: float64 `dh`, `dc` (final-state gradients in, initial-state ones
   * out), the forward buffers, dz out, the packed recurrent kernelᵀ, scratch `packedGradient`
   * (padded rows × 4H) and `product` (padded rows × padded H).
   */
  lstmSequenceBackward(
    rows: number,
    steps: number,
    units: number,
    dh: number,
    dc: number,
    sequenceGrad: number,
    hasSequenceGrad: number,
    gates: number,
    cellActivations: number,
    cells: number,
    initialCell: number,
    dz: number,
    recurrentTransposed: number,
    packedGradient: number,
    product: number,
  ): void;
}
