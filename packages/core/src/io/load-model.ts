import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ValueError } from '../errors.js';
import { checkMetadata } from './check-metadata.js';
import { modelFromArtifacts } from './model-artifacts.js';
import type { BuildOptions, ModelSpec, Sequential } from '../models/sequential.js';
import { SAVED_MODEL_FILES } from './saved-model-layout.js';

/** A model read back by `loadModel`, built on the requested backend, with its metadata. */
export interface LoadedModel {
  readonly model: Sequential;
  readonly metadata: Record<string, string>;
}

/**
 * Loads a model folder written by `saveModel` and builds it on `backend`; `seed` drives what
 * stays random after loading (dropout in further training). Every weight must match the spec.
 *
 * @example
 * const { model, metadata } = await loadModel('models/shakespeare', { backend: tsBackend() });
 * const vocabulary = CharVocabulary.fromJSON(JSON.parse(metadata.vocabulary));
 */
export async function loadModel(directory: string, options: BuildOptions): Promise<LoadedModel> {
  const folder = await stat(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new ValueError(`Model folder '${directory}' does not exist: pass the folder given to saveModel.`);
    throw error;
  });
  if (!folder.isDirectory())
    throw new ValueError(`'${directory}' is a file, not a model folder: pass the folder given to saveModel.`);
  const modelPath = join(directory, SAVED_MODEL_FILES.model);
  const weightsPath = join(directory, SAVED_MODEL_FILES.weights);
  const text = new TextDecoder().decode(await readSavedFile(modelPath, directory));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ValueError(
      `'${modelPath}' is not valid JSON (${(error as Error).message}); the file is corrupted: save the model again.`,
    );
  }
  const { spec, metadata } = readModelJson(parsed, modelPath);
  const weights = await readSavedFile(weightsPath, directory);
  return {
    model: modelFromArtifacts({ spec, weights, metadata }, { ...options, source: `'${weightsPath}'` }),
    metadata,
  };
}

async function readSavedFile(path: string, directory: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ValueError(`'${path}' is missing: '${directory}' is not a complete model folder written by saveModel.`);
    }
    throw error;
  }
}

function readModelJson(parsed: unknown, path: string): { spec: ModelSpec; metadata: Record<string, string> } {
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    (parsed as { format?: unknown }).format !== 'recur-saved-model'
  ) {
    throw new ValueError(
      `'${path}' is not a Recur model file: expected a JSON object with format 'recur-saved-model'.`,
    );
  }
  const { formatVersion, spec, metadata } = parsed as Record<string, unknown>;
  if (formatVersion !== 1) {
    throw new ValueError(
      `'${path}' has format version ${JSON.stringify(formatVersion)}; this Recur reads version 1 (upgrade @recur/core).`,
    );
  }
  if (spec === null || typeof spec !== 'object')
    throw new ValueError(`'${path}' has no model spec ('spec' must be an object).`);
  return { spec: spec as ModelSpec, metadata: checkMetadata(metadata ?? {}, `'${path}' metadata`) };
}
