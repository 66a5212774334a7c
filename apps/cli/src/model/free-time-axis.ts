import { Sequential } from '@recur/core';

/**
 * The same model with a free time axis (`inputShape[0]` null), sharing nothing but the weight
 * values: a model trained on fixed windows (40 characters) then exports to a graph that also
 * takes one step at a time, which step-by-step generation on ONNX Runtime needs. A model whose
 * time axis is already free, or that has none, is returned as it is.
 *
 * @example
 * const bytes = exportOnnx(withFreeTimeAxis(model), { exposeState: true });
 */
export function withFreeTimeAxis(model: Sequential): Sequential {
  const spec = model.spec();
  if (spec.inputShape.length === 0 || spec.inputShape[0] === null) return model;
  const free = Sequential.fromSpec({ ...spec, inputShape: [null, ...spec.inputShape.slice(1)] });
  free.build({ backend: model.engine.backend });
  free.setWeights(model.getWeights());
  return free;
}
