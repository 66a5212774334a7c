/**
 * `rows` rows of `columns` floats from one strided layout to another (between a caller's arrays
 * and the module's memory, either way).
 */
export function copyRows(
  from: Float32Array,
  fromOffset: number,
  fromStride: number,
  to: Float32Array,
  toOffset: number,
  toStride: number,
  rows: number,
  columns: number,
): void {
  if (fromStride === columns && toStride === columns) {
    to.set(from.subarray(fromOffset, fromOffset + rows * columns), toOffset);
    return;
  }
  if (columns >= 32) {
    // Long rows: one native copy each (a subarray view is cheaper than 32 element moves).
    for (let r = 0; r < rows; r++) {
      const start = fromOffset + r * fromStride;
      to.set(from.subarray(start, start + columns), toOffset + r * toStride);
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const source = fromOffset + r * fromStride;
    const target = toOffset + r * toStride;
    for (let j = 0; j < columns; j++) to[target + j] = from[source + j];
  }
}
