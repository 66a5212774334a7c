import { ValueError } from '../../errors.js';

/** Requires a positive, finite number option (learning rates, epsilons, clipping limits). */
export function positiveNumber(kind: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new ValueError(`${kind}: '${option}' must be a positive number, got ${JSON.stringify(value)}.`);
  }
  return value;
}
