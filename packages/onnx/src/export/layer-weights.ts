import { ShapeError, ValueError, formatShape, type Sequential, type TensorData } from '@recur/core';
import type { HostTensor } from '../proto/host-tensor.js';

/**
 * One layer's weights as float32 host tensors, by their names within the layer (`kernel`,
 * `forward_lstm/kernel`, `dense/bias`): what the node writers read. `exportOnnx` checks every
 * weight against the model spec before any node is written, so a lookup that fails here is a
 * bug in the exporter, not in the caller's data.
 */
export class LayerWeights {
  constructor(
    readonly layerName: string,
    private readonly byName: ReadonlyMap<string, HostTensor>,
  ) {}

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): HostTensor {
    const weight = this.byName.get(name);
    if (weight === undefined)
      throw new Error(`Internal error: layer '${this.layerName}' has no checked weight '${name}'.`);
    return weight;
  }

  /** The weights of a wrapped layer (a Bidirectional half, a TimeDistributed inner layer): the names under `prefix/`, prefix removed. */
  inner(prefix: string): LayerWeights {
    const start = `${prefix}/`;
    const entries = [...this.byName]
      .filter(([name]) => name.startsWith(start))
      .map(([name, weight]): [string, HostTensor] => [name.slice(start.length), weight]);
    return new LayerWeights(`${this.layerName}/${prefix}`, new Map(entries));
  }

  /** The first path segment shared by every weight name (the wrapped layer's name), or null without weights. */
  innerPrefix(): string | null {
    const first = this.byName.keys().next();
    return first.done === true ? null : first.value.split('/')[0];
  }
}

/**
 * Checks `given` (full names such as `lstm/kernel`, as `Sequential.getWeights` gives them)
 * against the weights the model's spec describes, refusing missing, unknown and misshaped
 * weights by name, and splits them by layer.
 */
export function layerWeightsOf(model: Sequential, given: ReadonlyMap<string, TensorData>): LayerWeights[] {
  const expectedNames = new Set<string>();
  const missing: string[] = [];
  const layers = model.layers.map((layer, k) => {
    const weights = new Map<string, HostTensor>();
    for (const spec of layer.weightSpecs(model.shapes[k])) {
      const fullName = `${layer.name}/${spec.name}`;
      expectedNames.add(fullName);
      const data = given.get(fullName);
      if (data === undefined) {
        missing.push(`${fullName} ${formatShape(spec.shape)}`);
        continue;
      }
      const size = spec.shape.reduce((product, dimension) => product * dimension, 1);
      if (
        data.shape.length !== spec.shape.length ||
        data.shape.some((dimension, axis) => dimension !== spec.shape[axis]) ||
        data.values.length !== size
      ) {
        throw new ShapeError(
          `exportOnnx: weight '${fullName}' of model '${model.name}' must have shape ${formatShape(spec.shape)} (from the model spec), got shape ${formatShape(data.shape)} with ${data.values.length} values.`,
        );
      }
      weights.set(spec.name, { dtype: 'float32', shape: [...spec.shape], data: Float32Array.from(data.values) });
    }
    return new LayerWeights(layer.name, weights);
  });
  if (missing.length > 0) {
    throw new ValueError(
      `exportOnnx: the weights of model '${model.name}' lack ${missing.join(', ')}; pass every weight that model.getWeights() returns.`,
    );
  }
  const unknown = [...given.keys()].filter((name) => !expectedNames.has(name));
  if (unknown.length > 0) {
    throw new ValueError(
      `exportOnnx: model '${model.name}' has no weight named ${unknown.map((name) => `'${name}'`).join(', ')} (its weights: ${[...expectedNames].join(', ')}); the weights and the spec do not belong together.`,
    );
  }
  return layers;
}
