import type { DType, RandomGenerator } from '@recur/core';

/**
 * A tensor held on the host in float64, used for test inputs and for the expected values the
 * oracles compute. Float32 inputs are always exactly representable in float32 (see
 * `randomHostTensor`), so the backend and the oracle start from the same numbers.
 */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly values: readonly number[];
  readonly dtype: DType;
}

export function hostTensor(shape: readonly number[], values: readonly number[], dtype: DType = 'float32'): HostTensor {
  if (values.length !== sizeOfShape(shape)) {
    throw new Error(`Suite bug: ${values.length} values for a host tensor of shape [${shape.join(', ')}].`);
  }
  // Float32 values are rounded here, so oracles see exactly the numbers the backend stores.
  return { shape: [...shape], values: dtype === 'float32' ? values.map(Math.fround) : [...values], dtype };
}

export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((product, dimension) => product * dimension, 1);
}

/** Options of `randomHostTensor`. */
export interface RandomValueOptions {
  readonly low?: number;
  readonly high?: number;
  /**
   * Values closer than this to any of `avoid` are drawn again, keeping inputs away from kinks
   * (0 for relu/abs/step, ±3 for hardSigmoid) so finite differences see a smooth function.
   */
  readonly avoid?: readonly number[];
  readonly margin?: number;
}

/**
 * Uniform values in `[low, high)` rounded to multiples of 2^-16: exact in float32 for
 * |x| < 256, and `x ± 2^-10` stays exact too, so finite-difference steps are taken exactly.
 */
export function randomHostTensor(
  random: RandomGenerator,
  shape: readonly number[],
  options: RandomValueOptions = {},
): HostTensor {
  const low = options.low ?? -1;
  const high = options.high ?? 1;
  const avoid = options.avoid ?? [];
  const margin = options.margin ?? 0;
  const values: number[] = [];
  for (let k = 0; k < sizeOfShape(shape); k++) {
    let value: number;
    do {
      value = Math.round((low + (high - low) * random.uniform()) * 65536) / 65536;
    } while (avoid.some((point) => Math.abs(value - point) < margin));
    values.push(value);
  }
  return { shape: [...shape], values, dtype: 'float32' };
}

/** Random int32 values in `[0, count)`. */
export function randomIndices(random: RandomGenerator, shape: readonly number[], count: number): HostTensor {
  const values = Array.from({ length: sizeOfShape(shape) }, () => random.integer(count));
  return { shape: [...shape], values, dtype: 'int32' };
}

/** Row-major strides. */
export function stridesOfShape(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

/** The multi-index of a flat row-major position. */
export function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  let rest = flat;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = rest % shape[axis];
    rest = Math.floor(rest / shape[axis]);
  }
  return index;
}

/** The value at a multi-index. */
export function valueAt(tensor: HostTensor, index: readonly number[]): number {
  const strides = stridesOfShape(tensor.shape);
  let flat = 0;
  for (let axis = 0; axis < index.length; axis++) flat += index[axis] * strides[axis];
  return tensor.values[flat];
}

/** A tensor of `shape` whose value at each multi-index is `valueAt(index)`. */
export function tabulate(
  shape: readonly number[],
  valueAt: (index: number[]) => number,
  dtype: DType = 'float32',
): HostTensor {
  const values: number[] = [];
  for (let flat = 0; flat < sizeOfShape(shape); flat++) values.push(valueAt(unravelIndex(flat, shape)));
  return { shape: [...shape], values, dtype };
}
