import { ValueError } from './errors.js';

/**
 * Rejects options a function or class does not know, suggesting the nearest known one, so a typo
 * like `returnSequence` fails loudly instead of being silently ignored.
 */
export function checkOptionNames(kind: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const suggestion = nearest(key, allowed);
    throw new ValueError(
      `${kind}: unknown option '${key}'.${suggestion === null ? '' : ` Did you mean '${suggestion}'?`} Allowed: ${allowed.join(', ')}.`,
    );
  }
}

/** `checkOptionNames` for a layer: every layer also takes `name` and `inputShape`. */
export function checkLayerOptions(kind: string, options: object, allowed: readonly string[]): void {
  checkOptionNames(kind, options, [...allowed, 'name', 'inputShape']);
}

/** Requires a positive integer option. */
export function positiveInteger(kind: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(`${kind}: '${option}' must be a positive integer, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Requires a rate in [0, 1). */
export function rate(kind: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ValueError(`${kind}: '${option}' must be a number in [0, 1), got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Requires one of a list of string values. */
export function oneOf<T extends string>(kind: string, option: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ValueError(
      `${kind}: '${option}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}.`,
    );
  }
  return value as T;
}

function nearest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
