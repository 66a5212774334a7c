import type { AdamStepScalars, TensorInfo, TypedArray } from '@recur/core';
import { ShapeError, formatShape } from '@recur/core';
import { floatValuesOf, makeTensor, rowIndicesOf, writableStorage } from '../tensor-storage.js';

/**
 * Adam's update (the formulas of `KernelBackend.adamStep`): each element's new m, v (and vHat)
 * are rounded to float32 as they are stored, and the weight's step reads those stored values,
 * as the same formulas written as primitives do.
 */

/** A weight and its slots (vHat only with AMSGrad), as arrays of one layout. */
interface AdamArrays {
  readonly w: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly vHat: Float32Array | null;
}

/**
 * `next` = one update of `current` for elements [from, from + count), the gradient read from
 * `g` at `gFrom`. Three branch-free loops rather than one with an AMSGrad test per element.
 * `next` may be `current` itself (each element is read before it is written).
 */
function updateElements(
  current: AdamArrays,
  next: AdamArrays,
  g: Float32Array,
  gFrom: number,
  from: number,
  count: number,
  scalars: AdamStepScalars,
): void {
  const { alpha, epsilon } = scalars;
  const [rate1, rate2] = [1 - scalars.beta1, 1 - scalars.beta2];
  const { w, m, v } = current;
  const shift = gFrom - from;
  const end = from + count;
  for (let k = from; k < end; k++) {
    const gk = g[k + shift];
    const mk = m[k];
    const vk = v[k];
    next.m[k] = mk + (gk - mk) * rate1;
    next.v[k] = vk + (gk * gk - vk) * rate2;
  }
  if (next.vHat !== null) for (let k = from; k < end; k++) next.vHat[k] = Math.max(current.vHat![k], next.v[k]);
  const second = next.vHat ?? next.v;
  for (let k = from; k < end; k++) next.w[k] = w[k] - (alpha * next.m[k]) / (Math.sqrt(second[k]) + epsilon);
}

function adamArrays(
  weight: TensorInfo,
  m: TensorInfo,
  v: TensorInfo,
  vHat: TensorInfo | null,
  operation: string,
): AdamArrays {
  return {
    w: floatValuesOf(weight, operation),
    m: floatValuesOf(m, operation),
    v: floatValuesOf(v, operation),
    vHat: vHat === null ? null : floatValuesOf(vHat, operation),
  };
}

function checkSlotShapes(
  operation: string,
  weight: TensorInfo,
  slots: readonly (readonly [string, TensorInfo | null])[],
): void {
  for (const [name, info] of slots) {
    if (info !== null && info.shape.join() !== weight.shape.join()) {
      throw new ShapeError(
        `${operation}: ${name} has shape ${formatShape(info.shape)}, the weight ${formatShape(weight.shape)}.`,
      );
    }
  }
}

function asTensors(arrays: AdamArrays, shape: readonly number[]): TensorInfo[] {
  const { w, m, v, vHat } = arrays;
  return [w, m, v, ...(vHat === null ? [] : [vHat])].map((values) => makeTensor(values, [...shape], 'float32'));
}

/** One Adam update of a whole weight: new arrays for the weight and its slots. */
export function adamStep(
  weight: TensorInfo,
  gradient: TensorInfo,
  m: TensorInfo,
  v: TensorInfo,
  vHat: TensorInfo | null,
  scalars: AdamStepScalars,
): TensorInfo[] {
  checkSlotShapes('adamStep', weight, [
    ['gradient', gradient],
    ['m', m],
    ['v', v],
    ['vHat', vHat],
  ]);
  const current = adamArrays(weight, m, v, vHat, 'adamStep');
  const n = current.w.length;
  const fresh = () => new Float32Array(n);
  const next = { w: fresh(), m: fresh(), v: fresh(), vHat: vHat === null ? null : fresh() };
  updateElements(current, next, floatValuesOf(gradient, 'adamStep'), 0, 0, n, scalars);
  return asTensors(next, weight.shape);
}

/**
 * The update of rows `indices` of a [R, D] weight and its slots from their gradient rows [K, D]
 * (`KernelBackend.adamStepRows`). Donated tables get the rows in their own arrays when no other
 * tensor shares them; `beforeInPlace` first tells whoever prepared copies of an array.
 */
export function adamStepRows(
  weight: TensorInfo,
  gradientRows: TensorInfo,
  m: TensorInfo,
  v: TensorInfo,
  vHat: TensorInfo | null,
  indices: TensorInfo,
  scalars: AdamStepScalars,
  donate: boolean,
  beforeInPlace: (values: TypedArray) => void,
): TensorInfo[] {
  checkSlotShapes('adamStepRows', weight, [
    ['m', m],
    ['v', v],
    ['vHat', vHat],
  ]);
  if (weight.shape.length !== 2)
    throw new ShapeError(`adamStepRows takes a rank-2 weight [rows, columns], got ${formatShape(weight.shape)}.`);
  const rows = rowIndicesOf(indices, weight.shape[0], 'adamStepRows');
  const width = weight.shape[1];
  if (gradientRows.shape.length !== 2 || gradientRows.shape[0] !== rows.length || gradientRows.shape[1] !== width) {
    throw new ShapeError(
      `adamStepRows: the gradient rows must be [${rows.length}, ${width}], got ${formatShape(gradientRows.shape)}.`,
    );
  }
  const g = floatValuesOf(gradientRows, 'adamStepRows');
  const current = adamArrays(weight, m, v, vHat, 'adamStepRows');
  const target = (table: TensorInfo) => writableStorage(table, donate, [g], beforeInPlace) as Float32Array;
  const next = { w: target(weight), m: target(m), v: target(v), vHat: vHat === null ? null : target(vHat) };
  for (let k = 0; k < rows.length; k++) updateElements(current, next, g, k * width, rows[k] * width, width, scalars);
  return asTensors(next, weight.shape);
}
