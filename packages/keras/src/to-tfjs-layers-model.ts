import { RECUR_VERSION, ValueError, type Sequential } from '@recur/core';
import type { TfjsModelArtifacts, TfjsWeightsManifestEntry } from './tfjs-artifacts.js';
import { layerToKeras } from './layer-to-keras.js';

/**
 * Writes a built Recur model as tfjs Layers artifacts (the in-memory form of `model.json` plus
 * weights) that `tf.loadLayersModel(tf.io.fromMemory(artifacts))` opens and that predicts the
 * same numbers. Every option is written explicitly (recurrent_activation, reset_after, ...), so
 * tfjs's own defaults (hard sigmoid gates) never apply. Refused, with the layer named: any
 * hard_sigmoid (tfjs computes 0.2x + 0.5, Recur x / 6 + 0.5) and GRU resetAfter: true, which
 * tfjs does not implement. Padding steps of a masked sequence output follow tfjs there (the
 * previous output is repeated where Recur writes 0).
 *
 * @example
 * const artifacts = toTfjsLayersModel(model);
 * const tfModel = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
 */
export function toTfjsLayersModel(model: Sequential): TfjsModelArtifacts {
  if (!model.isBuilt)
    throw new ValueError(`Model '${model.name}' has no weights yet: build or train it before writing it for tfjs.`);
  const exported = model.layers.map(layerToKeras);
  const first = exported[0].layer;
  first.config.batch_input_shape = [null, ...model.inputShape.slice(1)];
  const weights = exported.flatMap((layer) => layer.weights);
  const weightSpecs: TfjsWeightsManifestEntry[] = weights.map(([name, data]) => ({
    name,
    shape: [...data.shape],
    dtype: 'float32',
  }));
  const weightData = new Float32Array(weights.reduce((total, [, data]) => total + data.values.length, 0));
  let offset = 0;
  for (const [, data] of weights) {
    weightData.set(data.values, offset);
    offset += data.values.length;
  }
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: model.name, layers: exported.map((layer) => layer.layer) },
      keras_version: `recur ${RECUR_VERSION}`,
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: `Recur ${RECUR_VERSION}`,
    convertedBy: null,
    weightSpecs,
    weightData: weightData.buffer,
  };
}
