import { UsageError } from './cli-error.js';
import type { FlagValues } from './command.js';

/**
 * A numeric flag's value, or undefined when absent; anything that is not a number in range
 * is a usage error naming the flag.
 *
 * @example
 * const epochs = numberFlag(flags, 'epochs', 'train', { integer: true, min: 1 });
 */
export function numberFlag(
  flags: FlagValues,
  name: string,
  command: string,
  options: { integer?: boolean; min?: number; exclusiveMin?: boolean } = {},
): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  const kind = options.integer === true ? 'an integer' : 'a number';
  const belowMin =
    options.min !== undefined && (options.exclusiveMin === true ? value <= options.min : value < options.min);
  if (!Number.isFinite(value) || (options.integer === true && !Number.isInteger(value)) || belowMin) {
    const bound = options.min === undefined ? '' : ` ${options.exclusiveMin === true ? '>' : '>='} ${options.min}`;
    throw new UsageError(`--${name} must be ${kind}${bound}, got '${String(raw)}'.`, command);
  }
  return value;
}

/** A string flag's value, or undefined. */
export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}
