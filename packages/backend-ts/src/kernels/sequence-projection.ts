import type { SequenceInputGrads } from '@recur/core';
import { makeTensor } from '../tensor-storage.js';
import type { MatrixView } from '../matrix-kernels.js';
import { denseView, gemm, tensorView, type GemmContext } from './gemm.js';
import { isSkipped, type SequenceArrays } from './sequence-inputs.js';

/**
 * The matrix products every fused sequence kernel shares: the input projection of all N*T
 * rows before the time loop, the per-step gradient into the previous hidden state, and the
 * weight and input gradients after the backward time loop (one GEMM each).
 *
 * Buffers are batch-major like x: row r = n*T + t of a [N, T, W] buffer is sample n, step t,
 * so the rows of one step sit T*W apart, which the strided GEMM reads directly.
 */

/** The N rows of step t in a batch-major [N, T, width] buffer, from column `column` on. */
export function stepRows(values: Float32Array, width: number, steps: number, step: number, column = 0): MatrixView {
  return { values, offset: step * width + column, rowStride: steps * width, transposed: false };
}

/**
 * x · kernel + seed for every (sample, step) row in one GEMM: a new [N, T, width] buffer.
 * `seed` (a bias, width long) starts every row's accumulator; null starts from 0.
 */
export function projectInputs(
  context: GemmContext,
  arrays: SequenceArrays,
  width: number,
  seed: Float32Array | null,
): Float32Array {
  const { rows, inputSize, x, kernel } = arrays;
  const projected = new Float32Array(rows * width);
  if (seed !== null) for (let r = 0; r < rows; r++) projected.set(seed, r * width);
  gemm(
    context,
    rows,
    width,
    inputSize,
    tensorView(x, inputSize),
    tensorView(kernel, width),
    projected,
    0,
    width,
    seed !== null,
  );
  return projected;
}

/**
 * dh[n] += gradient_t[n] · block^T for every sample processed at step t, where `block` is
 * the recurrent kernel's columns [column, column + depth) that produced `gradient`'s columns.
 * Samples skipped at step t keep their dh: the carried state passes its gradient through.
 * `scratch` is an [N, H] buffer reused across steps.
 */
export function addHiddenGradient(
  context: GemmContext,
  arrays: SequenceArrays,
  step: number,
  gradient: MatrixView,
  column: number,
  depth: number,
  dh: Float64Array,
  scratch: Float32Array,
): void {
  const { batch, steps, units, recurrentKernel, mask } = arrays;
  const width = recurrentKernel.length / units;
  const block = tensorView(recurrentKernel, width, true, column);
  gemm(context, batch, units, depth, gradient, block, scratch, 0, units, false);
  for (let n = 0; n < batch; n++) {
    if (isSkipped(mask, n * steps + step)) continue;
    for (let j = n * units; j < n * units + units; j++) dh[j] += scratch[j];
  }
}

/**
 * into[:, column .. column + width) = operand^T · gradient, summed over all N*T rows: the
 * gradient of a weight that multiplied `operand` ([rows, operandWidth]) to give `gradient`'s
 * pre-activations. `into` has `intoWidth` columns.
 */
export function setWeightGradient(
  context: GemmContext,
  rows: number,
  operand: Float32Array,
  operandWidth: number,
  gradient: MatrixView,
  width: number,
  into: Float32Array,
  column: number,
  intoWidth: number,
): void {
  gemm(
    context,
    operandWidth,
    width,
    rows,
    denseView(operand, operandWidth, true),
    gradient,
    into,
    column,
    intoWidth,
    false,
  );
}

/**
 * dL/dkernel of the input projection and, when `inputGradient`, dL/dx (else null: x is data),
 * from the pre-activation gradients [N, T, width].
 */
export function projectionGradients(
  context: GemmContext,
  arrays: SequenceArrays,
  gradient: Float32Array,
  width: number,
  inputGradient: boolean,
): { readonly x: Float32Array | null; readonly kernel: Float32Array } {
  const { rows, inputSize, x, kernel } = arrays;
  const kernelGrad = new Float32Array(inputSize * width);
  setWeightGradient(context, rows, x, inputSize, denseView(gradient, width), width, kernelGrad, 0, width);
  if (!inputGradient) return { x: null, kernel: kernelGrad };
  const xGrad = new Float32Array(rows * inputSize);
  gemm(
    context,
    rows,
    inputSize,
    width,
    denseView(gradient, width),
    tensorView(kernel, width, true),
    xGrad,
    0,
    inputSize,
    false,
  );
  return { x: xGrad, kernel: kernelGrad };
}

/** Sums of `width` columns of `gradient` over `rows` rows (a bias gradient), accumulated in float64. */
export function columnSums(gradient: MatrixView, rows: number, width: number): Float32Array {
  const sums = new Float64Array(width);
  const { values, offset, rowStride } = gradient;
  let r = 0;
  // Four rows per pass: ((((sum + a) + b) + c) + d) is the same sequence of additions as four
  // passes, with a quarter of the loads and stores of `sums`.
  for (; r + 4 <= rows; r += 4) {
    const a = offset + r * rowStride;
    const b = a + rowStride;
    const c = b + rowStride;
    const d = c + rowStride;
    for (let j = 0; j < width; j++) sums[j] = sums[j] + values[a + j] + values[b + j] + values[c + j] + values[d + j];
  }
  for (; r < rows; r++) {
    const start = offset + r * rowStride;
    for (let j = 0; j < width; j++) sums[j] += values[start + j];
  }
  return Float32Array.from(sums);
}

/**
 * Every gradient but the initial states' for a cell whose pre-activations are
 * x · kernel + h · recurrentKernel + bias with one bias row (LSTM, SimpleRNN), from the
 * pre-activation gradients `dz` [N, T, width] and the h entering each step [N, T, H].
 */
export function linearCellGradients(
  context: GemmContext,
  arrays: SequenceArrays,
  dz: Float32Array,
  width: number,
  previousHidden: Float32Array,
  hasBias: boolean,
  inputGradient: boolean,
): Omit<SequenceInputGrads, 'initialState'> {
  const { batch, steps, inputSize, units, rows } = arrays;
  const projection = projectionGradients(context, arrays, dz, width, inputGradient);
  const recurrentKernelGrad = new Float32Array(units * width);
  setWeightGradient(context, rows, previousHidden, units, denseView(dz, width), width, recurrentKernelGrad, 0, width);
  return {
    x: projection.x === null ? null : makeTensor(projection.x, [batch, steps, inputSize], 'float32'),
    kernel: makeTensor(projection.kernel, [inputSize, width], 'float32'),
    recurrentKernel: makeTensor(recurrentKernelGrad, [units, width], 'float32'),
    bias: hasBias ? makeTensor(columnSums(denseView(dz, width), rows, width), [width], 'float32') : null,
  };
}
