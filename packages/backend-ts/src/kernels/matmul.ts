import type { TensorInfo } from '@recur/core';
import { ShapeError, formatShape } from '@recur/core';
import { floatValuesOf, makeTensor } from '../tensor-storage.js';
import { gemm, type GemmContext } from './gemm.js';

/**
 * Matrix product of rank-2 tensors, or of rank-3 tensors with the same batch size; the
 * transpose flags apply to the last two axes. Both operands are tensor storage, never written
 * again, hence `immutable` (see matrix-kernels.ts). The products run in `context`, the backend
 * instance's (its plugged-in matrix kernels and kept packed block).
 */
export function matmul(
  context: GemmContext,
): (a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean) => TensorInfo {
  return (a, b, transposeA, transposeB) => multiply(context, a, b, transposeA, transposeB);
}

function multiply(
  context: GemmContext,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo {
  const rank = a.shape.length;
  if ((rank !== 2 && rank !== 3) || b.shape.length !== rank) {
    throw new ShapeError(
      `matmul takes two rank-2 or two rank-3 tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}.`,
    );
  }
  const batch = rank === 3 ? a.shape[0] : 1;
  if (rank === 3 && b.shape[0] !== batch) {
    throw new ShapeError(
      `matmul of rank-3 tensors needs the same batch size, got ${formatShape(a.shape)} and ${formatShape(b.shape)}.`,
    );
  }
  const aRows = a.shape[rank - 2];
  const aColumns = a.shape[rank - 1];
  const bRows = b.shape[rank - 2];
  const bColumns = b.shape[rank - 1];
  const m = transposeA ? aColumns : aRows;
  const k = transposeA ? aRows : aColumns;
  const kOfB = transposeB ? bColumns : bRows;
  const n = transposeB ? bRows : bColumns;
  if (k !== kOfB) {
    throw new ShapeError(
      `matmul inner dimensions differ: ${formatShape(a.shape)}${transposeA ? '^T' : ''} · ` +
        `${formatShape(b.shape)}${transposeB ? '^T' : ''} (${k} vs ${kOfB}).`,
    );
  }
  const left = floatValuesOf(a, 'matmul');
  const right = floatValuesOf(b, 'matmul');
  const output = new Float32Array(batch * m * n);
  for (let item = 0; item < batch; item++) {
    gemm(
      context,
      m,
      n,
      k,
      { values: left, offset: item * aRows * aColumns, rowStride: aColumns, transposed: transposeA, immutable: true },
      { values: right, offset: item * bRows * bColumns, rowStride: bColumns, transposed: transposeB, immutable: true },
      output,
      item * m * n,
      n,
      false,
    );
  }
  return makeTensor(output, rank === 3 ? [batch, m, n] : [m, n], 'float32');
}
