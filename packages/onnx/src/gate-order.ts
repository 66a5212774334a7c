/**
 * Gate orders and weight layouts of the recurrent cells in Keras (Recur's canonical layout) and
 * in the ONNX `LSTM`, `GRU` and `RNN` operators (see DESIGN.md, "Gate orders"):
 *
 *     Keras  kernel [I, G*H], recurrent_kernel [H, G*H]      LSTM blocks i, f, c, o; GRU z, r, h
 *     ONNX   W [G*H, I],      R [G*H, H], B [2*G*H] = [Wb, Rb]  LSTM blocks i, o, f, c; GRU z, r, h
 *
 * `ONNX_..._FROM_KERAS[k]` is the Keras block that becomes ONNX block k; `KERAS_..._FROM_ONNX[k]`
 * is the ONNX block that becomes Keras block k (the inverse table). GRU's orders agree and
 * SimpleRNN has one block, so their tables are identities; the same helpers serve all three.
 */
export const ONNX_LSTM_FROM_KERAS: readonly number[] = [0, 3, 1, 2];
export const KERAS_LSTM_FROM_ONNX: readonly number[] = [0, 2, 3, 1];
export const ONNX_GRU_FROM_KERAS: readonly number[] = [0, 1, 2];
export const KERAS_GRU_FROM_ONNX: readonly number[] = [0, 1, 2];
export const ONNX_RNN_FROM_KERAS: readonly number[] = [0];
export const KERAS_RNN_FROM_ONNX: readonly number[] = [0];

/**
 * ONNX LSTM's peephole vector P `[3H]` holds blocks i, o, f; Recur's `peephole_kernel` `[3, H]`
 * holds rows i, f, o (the order of Keras's experimental PeepholeLSTMCell).
 */
export const ONNX_PEEPHOLE_FROM_KERAS: readonly number[] = [0, 2, 1];
export const KERAS_PEEPHOLE_FROM_ONNX: readonly number[] = [0, 2, 1];

/**
 * A Keras kernel `[rows, G*H]` (gate blocks in column groups) as an ONNX matrix `[G*H, rows]`
 * with its row blocks reordered: ONNX row block k = Keras column block `order[k]`, transposed.
 */
export function kerasKernelToOnnx(
  kernel: ArrayLike<number>,
  rows: number,
  units: number,
  order: readonly number[],
): Float32Array {
  const width = order.length * units;
  const result = new Float32Array(width * rows);
  order.forEach((kerasBlock, onnxBlock) => {
    for (let unit = 0; unit < units; unit++) {
      const onnxRow = onnxBlock * units + unit;
      const kerasColumn = kerasBlock * units + unit;
      for (let r = 0; r < rows; r++) result[onnxRow * rows + r] = kernel[r * width + kerasColumn];
    }
  });
  return result;
}

/** The inverse of kerasKernelToOnnx: ONNX `[G*H, columns]` to Keras `[columns, G*H]`; `order` maps Keras block -> ONNX block. */
export function onnxKernelToKeras(
  matrix: ArrayLike<number>,
  columns: number,
  units: number,
  order: readonly number[],
): Float32Array {
  const width = order.length * units;
  const result = new Float32Array(columns * width);
  order.forEach((onnxBlock, kerasBlock) => {
    for (let unit = 0; unit < units; unit++) {
      const onnxRow = onnxBlock * units + unit;
      const kerasColumn = kerasBlock * units + unit;
      for (let c = 0; c < columns; c++) result[c * width + kerasColumn] = matrix[onnxRow * columns + c];
    }
  });
  return result;
}

/** A vector of gate blocks `[G*H]` reordered: result block k = input block `order[k]`. */
export function reorderBlocks(vector: ArrayLike<number>, units: number, order: readonly number[]): Float32Array {
  const result = new Float32Array(order.length * units);
  order.forEach((source, target) => {
    for (let unit = 0; unit < units; unit++) result[target * units + unit] = vector[source * units + unit];
  });
  return result;
}
