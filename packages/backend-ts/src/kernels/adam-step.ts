import type { AdamStepScalars, TensorInfo } from '@recur/core';
import { ShapeError, formatShape } from '@recur/core';
import { floatValuesOf, makeTensor } from '../tensor-storage.js';

/**
 * One Adam update in one kernel (the formulas of `KernelBackend.adamStep`): each element's
 * new m, v (and vHat) are rounded to float32 as they are stored, and the weight's step reads
 * those stored values, as the same formulas written as primitives do.
 */
export function adamStep(weight: TensorInfo, gradient: TensorInfo, m: TensorInfo, v: TensorInfo, vHat: TensorInfo | null, scalars: AdamStepScalars): TensorInfo[] {
  for (const [name, info] of [['gradient', gradient], ['m', m], ['v', v], ['vHat', vHat]] as const) {
    if (info !== null && info.shape.join() !== weight.shape.join()) {
      throw new ShapeError(`adamStep: ${name} has shape ${formatShape(info.shape)}, the weight ${formatShape(weight.shape)}.`);
    }
  }
  const w = floatValuesOf(weight, 'adamStep');
  const g = floatValuesOf(gradient, 'adamStep');
  const m0 = floatValuesOf(m, 'adamStep');
  const v0 = floatValuesOf(v, 'adamStep');
  const vHat0 = vHat === null ? null : floatValuesOf(vHat, 'adamStep');
  const n = w.length;
  const [w1, m1, v1] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const vHat1 = vHat0 === null ? null : new Float32Array(n);
  const { alpha, epsilon } = scalars;
  const [rate1, rate2] = [1 - scalars.beta1, 1 - scalars.beta2];
  // Three branch-free loops rather than one with an AMSGrad test per element: faster, and the
  // steps read m1, v1 (and vHat1) back as stored, in float32, as the formulas say.
  for (let k = 0; k < n; k++) {
    const gk = g[k];
    const mk = m0[k];
    const vk = v0[k];
    m1[k] = mk + (gk - mk) * rate1;
    v1[k] = vk + (gk * gk - vk) * rate2;
  }
  if (vHat1 !== null) for (let k = 0; k < n; k++) vHat1[k] = Math.max(vHat0![k], v1[k]);
  const second = vHat1 ?? v1;
  for (let k = 0; k < n; k++) w1[k] = w[k] - (alpha * m1[k]) / (Math.sqrt(second[k]) + epsilon);
  const results = [w1, m1, v1, ...(vHat1 === null ? [] : [vHat1])];
  return results.map((values) => makeTensor(values, [...weight.shape], 'float32'));
}
