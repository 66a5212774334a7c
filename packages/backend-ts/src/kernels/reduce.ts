import type { ReduceOp, TensorInfo } from '@recur/core';
import { ShapeError, ValueError, formatShape, sizeOf } from '@recur/core';
import { floatValuesOf, makeTensor } from '../tensor-storage.js';

/**
 * Sum or max over the given sorted, distinct axes; the reduced axes are removed.
 *
 * Axes are grouped into runs of adjacent reduced / kept axes, so the input becomes
 * [kept0, reduced0, kept1, reduced1, ...] blocks. The common cases (reduce the last axes,
 * reduce the first axes) are one run each and take the simple loops. Sums run in float64.
 */
export function reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): TensorInfo {
  if (op !== 'sum' && op !== 'max') throw new ValueError(`Unknown reduction '${String(op)}'.`);
  const shape = x.shape;
  const rank = shape.length;
  for (let index = 0; index < axes.length; index++) {
    const axis = axes[index];
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank || (index > 0 && axis <= axes[index - 1])) {
      throw new ShapeError(
        `reduce needs sorted, distinct axes in [0, ${rank}) for shape ${formatShape(shape)}, got [${axes.join(', ')}].`,
      );
    }
  }
  const input = floatValuesOf(x, `reduce '${op}'`);
  const reduced = new Set(axes);
  const outShape = shape.filter((_, axis) => !reduced.has(axis));
  const outSize = sizeOf(outShape);
  const accumulator = new Float64Array(outSize).fill(op === 'sum' ? 0 : -Infinity);

  // Merge adjacent axes of the same kind: sizes of alternating kept / reduced blocks.
  const blockSizes: number[] = [];
  const blockReduced: boolean[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const isReduced = reduced.has(axis);
    const last = blockSizes.length - 1;
    if (last >= 0 && blockReduced[last] === isReduced) blockSizes[last] *= shape[axis];
    else {
      blockSizes.push(shape[axis]);
      blockReduced.push(isReduced);
    }
  }

  if (blockSizes.length === 0) {
    // A scalar: one kept block of one element.
    blockSizes.push(1);
    blockReduced.push(false);
  }

  if (input.length > 0) {
    // Output stride of each block (0 for reduced blocks), walking the input in order.
    const outStrides = new Array<number>(blockSizes.length).fill(0);
    let stride = 1;
    for (let block = blockSizes.length - 1; block >= 0; block--) {
      if (!blockReduced[block]) {
        outStrides[block] = stride;
        stride *= blockSizes[block];
      }
    }
    const last = blockSizes.length - 1;
    const inner = blockSizes[last];
    const innerStride = outStrides[last];
    const index = new Array<number>(blockSizes.length).fill(0);
    let outBase = 0;
    for (let start = 0; start < input.length; start += inner) {
      if (innerStride === 0) {
        // The innermost block is reduced: fold a contiguous run into one output element.
        let value = accumulator[outBase];
        if (op === 'sum') for (let k = 0; k < inner; k++) value += input[start + k];
        else for (let k = 0; k < inner; k++) value = greaterOrNaN(input[start + k], value);
        accumulator[outBase] = value;
      } else if (op === 'sum') {
        for (let k = 0; k < inner; k++) accumulator[outBase + k] += input[start + k];
      } else {
        for (let k = 0; k < inner; k++)
          accumulator[outBase + k] = greaterOrNaN(input[start + k], accumulator[outBase + k]);
      }
      for (let block = last - 1; block >= 0; block--) {
        index[block]++;
        outBase += outStrides[block];
        if (index[block] < blockSizes[block]) break;
        outBase -= outStrides[block] * blockSizes[block];
        index[block] = 0;
      }
    }
  }
  return makeTensor(Float32Array.from(accumulator), outShape, 'float32');
}

/** max that propagates NaN, like NumPy's max. */
function greaterOrNaN(candidate: number, current: number): number {
  return candidate > current || Number.isNaN(candidate) ? candidate : current;
}
