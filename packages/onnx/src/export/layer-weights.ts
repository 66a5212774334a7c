import type { Layer } from '@recur/core';
import { ValueError } from '@recur/core';
import type { HostTensor } from '../proto/host-tensor.js';

/**
 * A built layer's weights by short name (`kernel`, `recurrent_kernel`, `bias`, `embeddings`),
 * read to the host as float32 host tensors.
 */
export function layerWeights(layer: Layer): Map<string, HostTensor> {
  const weights = new Map<string, HostTensor>();
  for (const variable of layer.weights) {
    const shortName = variable.name.slice(variable.name.lastIndexOf('/') + 1);
    weights.set(shortName, { dtype: 'float32', shape: [...variable.shape], data: Float32Array.from(variable.value.read()) });
  }
  return weights;
}

/** One weight of a layer, with an error naming the layer if it is missing (not built). */
export function requireWeight(weights: Map<string, HostTensor>, layer: Layer, name: string): HostTensor {
  const weight = weights.get(name);
  if (weight === undefined) {
    throw new ValueError(`Layer '${layer.name}' (${layer.kind}) has no weight '${name}': build the model (model.build({ backend })) before exporting it.`);
  }
  return weight;
}
