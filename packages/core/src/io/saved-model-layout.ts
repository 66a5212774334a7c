import type { ModelSpec } from '../models/sequential.js';

/** The files of a saved model folder. */
export const SAVED_MODEL_FILES = { model: 'model.json', weights: 'weights.safetensors' } as const;

/** The content of `model.json`: the spec and the metadata; the weights sit beside it. */
export interface SavedModelJson {
  readonly format: 'recur-saved-model';
  readonly formatVersion: 1;
  readonly spec: ModelSpec;
  readonly metadata: Record<string, string>;
}
