import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { modelToArtifacts } from './model-artifacts.js';
import type { Sequential } from '../models/sequential.js';
import { atomicWriteFile } from './atomic-write-file.js';
import { SAVED_MODEL_FILES, type SavedModelJson } from './saved-model-layout.js';

export interface SaveModelOptions {
  /** String metadata stored with the model, e.g. `{ vocabulary: JSON.stringify(vocabulary) }`. */
  readonly metadata?: Record<string, string>;
}

/**
 * Saves a built model into `directory` (created if needed) as `weights.safetensors` and
 * `model.json` (spec and metadata), replacing what a previous save put there.
 *
 * Crash safety: each file is written by `atomicWriteFile` (temporary file, fsync, rename), so
 * neither is ever half-written, and they are written weights first, `model.json` last. A crash
 * before the weights' rename keeps the previous model intact; a crash between the two renames
 * leaves the new weights beside the previous `model.json`, which for a checkpoint of the same
 * model (same spec, the common case) is still a complete, loadable model, and for a different
 * architecture makes `loadModel` report the name or shape mismatch rather than load garbage.
 * Staging a whole folder and renaming it over `directory` was rejected: POSIX rename cannot
 * replace a non-empty folder, so it takes two renames with a moment where no model exists at all.
 *
 * @example
 * await saveModel(model, 'models/shakespeare', { metadata: { vocabulary: JSON.stringify(vocabulary) } });
 */
export async function saveModel(model: Sequential, directory: string, options: SaveModelOptions = {}): Promise<void> {
  const artifacts = modelToArtifacts(model, { metadata: options.metadata });
  const modelJson: SavedModelJson = {
    format: 'recur-saved-model',
    formatVersion: 1,
    spec: artifacts.spec,
    metadata: artifacts.metadata,
  };
  await mkdir(directory, { recursive: true });
  await atomicWriteFile(join(directory, SAVED_MODEL_FILES.weights), artifacts.weights);
  await atomicWriteFile(join(directory, SAVED_MODEL_FILES.model), `${JSON.stringify(modelJson, null, 2)}\n`);
}
