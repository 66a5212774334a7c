import type { Layer, Tensor } from '@recur/core';

/**
 * Sets a built layer's variables from tensors keyed by the Keras weight name (`kernel`,
 * `recurrent_kernel`, `bias`): each variable is matched by the last segment of its name
 * (`lstm/kernel` -> `kernel`). Every variable must be given, and nothing else.
 *
 * @example
 * assignLayerWeights(lstm, { kernel, recurrent_kernel: recurrentKernel, bias });
 */
export function assignLayerWeights(layer: Layer, weights: Readonly<Record<string, Tensor>>): void {
  const variables = layer.weights;
  const names = variables.map((variable) => variable.name.slice(variable.name.lastIndexOf('/') + 1));
  const missing = names.filter((name) => !(name in weights));
  const unknown = Object.keys(weights).filter((name) => !names.includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new Error(
      `Layer '${layer.name}' has weights [${names.join(', ')}]; the case gives [${Object.keys(weights).join(', ')}]` +
        ` (missing: [${missing.join(', ')}], unknown: [${unknown.join(', ')}]).`,
    );
  }
  variables.forEach((variable, k) => variable.assign(weights[names[k]]));
}
