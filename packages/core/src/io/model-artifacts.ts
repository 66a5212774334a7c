import { ShapeError, ValueError, formatShape } from '../errors.js';
import type { TensorData } from '../data/tensor-data.js';
import { Sequential, type BuildOptions, type ModelSpec } from '../models/sequential.js';
import { checkMetadata } from './check-metadata.js';
import { RECUR_VERSION } from './recur-version.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

/**
 * A model as plain data, ready for any storage (a folder, IndexedDB, an HTTP response): the JSON
 * spec, the weights as safetensors bytes (Keras layout names such as `lstm/kernel`) and string
 * metadata (the Recur version that wrote it, plus the user's, e.g. a vocabulary as JSON).
 */
export interface ModelArtifacts {
  readonly spec: ModelSpec;
  readonly weights: Uint8Array;
  readonly metadata: Record<string, string>;
}

/** The metadata key under which Recur records its own version. */
export const RECUR_VERSION_KEY = 'recur.version';

/**
 * Turns a built model into artifacts. `metadata` values must be strings; the `recur.version`
 * key is always set to this Recur's version.
 *
 * @example
 * const artifacts = modelToArtifacts(model, { metadata: { vocabulary: JSON.stringify(vocabulary) } });
 */
export function modelToArtifacts(
  model: Sequential,
  options: { metadata?: Record<string, string> } = {},
): ModelArtifacts {
  if (!model.isBuilt)
    throw new ValueError(
      `Model '${model.name}' has no weights to save yet: call model.build({ backend }) or train it first.`,
    );
  const metadata = { ...checkMetadata(options.metadata ?? {}, 'metadata'), [RECUR_VERSION_KEY]: RECUR_VERSION };
  return { spec: model.spec(), weights: encodeSafetensors(model.getWeights()), metadata };
}

/**
 * Rebuilds a model from artifacts on `backend`: the spec gives the layers, the safetensors bytes
 * replace the freshly initialised weights. Every weight of the model must be present with its
 * exact shape, and no other weight may appear, so a file from another architecture fails loudly.
 * `source` names the weights in error messages (loadModel passes the file path).
 *
 * @example
 * const model = modelFromArtifacts(artifacts, { backend: tsBackend() });
 * const vocabulary = CharVocabulary.fromJSON(JSON.parse(artifacts.metadata.vocabulary));
 */
export function modelFromArtifacts(artifacts: ModelArtifacts, options: BuildOptions & { source?: string }): Sequential {
  const source = options.source ?? 'The weights file';
  const { tensors } = decodeSafetensors(artifacts.weights, source);
  const model = Sequential.fromSpec(artifacts.spec).build(options);
  try {
    checkWeightsMatch(model, tensors, source);
    model.setWeights(tensors);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** Every weight of the model present with its exact shape, as float32, and no other weight. */
function checkWeightsMatch(model: Sequential, tensors: ReadonlyMap<string, TensorData>, source: string): void {
  const expected = new Map(model.weights.map((variable) => [variable.name, variable.shape]));
  const missing = [...expected.keys()].filter((name) => !tensors.has(name));
  if (missing.length > 0) {
    throw new ValueError(
      `${source} lacks weight(s) ${missing.join(', ')} that model '${model.name}' needs (its weights: ${[...expected.keys()].join(', ')}). Was the file saved from another model?`,
    );
  }
  const unexpected = [...tensors.keys()].filter((name) => !expected.has(name));
  if (unexpected.length > 0) {
    throw new ValueError(
      `${source} holds weight(s) ${unexpected.join(', ')} that model '${model.name}' does not have (its weights: ${[...expected.keys()].join(', ')}). Was the file saved from another model?`,
    );
  }
  for (const [name, shape] of expected) {
    const data = tensors.get(name)!;
    if (!(data.values instanceof Float32Array))
      throw new ValueError(`${source}: weight '${name}' is stored as I32; weights must be F32.`);
    if (data.shape.length !== shape.length || data.shape.some((d, k) => d !== shape[k])) {
      throw new ShapeError(
        `${source}: weight '${name}' has shape ${formatShape(data.shape)}, but the model spec needs ${formatShape(shape)}.`,
      );
    }
  }
}
