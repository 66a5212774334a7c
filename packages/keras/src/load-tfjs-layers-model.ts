import { Sequential, type BuildOptions } from '@recur/core';
import type { TfjsModelArtifacts } from './tfjs-artifacts.js';
import { fromTfjsLayersModel, type FromTfjsLayersOptions } from './from-tfjs-layers-model.js';

/**
 * Reads a tfjs Layers model (see `fromTfjsLayersModel`) and builds it on a backend with the
 * file's weights; `notes` says what, if anything, was read approximately.
 *
 * @example
 * const { model } = loadTfjsLayersModel(artifacts, { backend: tsBackend() });
 * const { values } = model.predict(ids);
 */
export function loadTfjsLayersModel(
  artifacts: TfjsModelArtifacts,
  options: BuildOptions & FromTfjsLayersOptions,
): { model: Sequential; notes: string[] } {
  const { spec, weights, notes } = fromTfjsLayersModel(artifacts, { inputShape: options.inputShape });
  const model = Sequential.fromSpec(spec).build({ backend: options.backend, seed: options.seed });
  model.setWeights(weights);
  return { model, notes };
}
