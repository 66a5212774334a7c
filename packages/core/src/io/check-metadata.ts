import { ValueError } from '../errors.js';

/**
 * Metadata is a flat string-to-string map everywhere Recur stores it (safetensors `__metadata__`,
 * model.json, ONNX `metadata_props`); this returns a copy or names the offending key.
 */
export function checkMetadata(metadata: unknown, what: string): Record<string, string> {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new ValueError(`${what} must be an object of strings, e.g. { vocabulary: JSON.stringify(vocabulary) }.`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') {
      throw new ValueError(
        `${what} '${key}' is ${typeof value}; metadata values must be strings (JSON.stringify objects first).`,
      );
    }
  }
  return { ...(metadata as Record<string, string>) };
}
