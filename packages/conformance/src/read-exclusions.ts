import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Reads a backend's exclusion file: a JSON object mapping a case id to the reason the backend
 * cannot pass it, e.g. `{ "golden/lstm_l2_bi_sf_h0": "no float32 accumulation in ... (issue #12)" }`.
 * Returns an empty map when no file is given.
 *
 * @example
 * const exclusions = readExclusions(new URL('../conformance-exclusions.json', import.meta.url));
 */
export function readExclusions(file: string | URL | undefined): Map<string, string> {
  if (file === undefined) return new Map();
  const path = file instanceof URL ? fileURLToPath(file) : file;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read the conformance exclusion file ${path}: ${(error as Error).message}. Pass an existing file or omit exclusionsFile.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`The conformance exclusion file ${path} is not valid JSON: ${(error as Error).message}.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(
      `The conformance exclusion file ${path} must hold a JSON object mapping case ids to reasons, e.g. {"primitive/unary/tanh": "why"}.`,
    );
  }
  const exclusions = new Map<string, string>();
  for (const [id, reason] of Object.entries(parsed)) {
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(
        `The conformance exclusion file ${path} gives no reason for '${id}': every excluded case needs a non-empty reason string.`,
      );
    }
    exclusions.set(id, reason);
  }
  return exclusions;
}
