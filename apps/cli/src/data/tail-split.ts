import type { TensorData } from '@recur/core';
import { CliError } from '../cli-error.js';
import type { Split } from './encoding.js';

/**
 * Holds out the last `fraction` of the samples for validation (Keras's validationSplit, and
 * for time series the only honest split: validation comes after training in time).
 *
 * @example
 * const { train, validation } = tailSplit({ x, y }, 0.1);
 */
export function tailSplit(data: Split, fraction: number): { train: Split; validation: Split | null } {
  const samples = data.x.shape[0];
  if (fraction === 0) return { train: data, validation: null };
  const trainCount = Math.floor(samples * (1 - fraction));
  if (trainCount < 1 || trainCount >= samples) {
    throw new CliError(
      `'data.validationSplit' ${fraction} of ${samples} samples leaves ${trainCount} for training and ${samples - trainCount} for validation; both need at least one. Use more data or another split.`,
    );
  }
  return { train: rows(data, 0, trainCount), validation: rows(data, trainCount, samples) };
}

/** Samples `begin..end` of a split (views, no copy). */
export function rows(data: Split, begin: number, end: number): Split {
  return { x: part(data.x, begin, end), y: part(data.y, begin, end) };
}

function part(data: TensorData, begin: number, end: number): TensorData {
  const rowSize = data.values.length / data.shape[0];
  return { shape: [end - begin, ...data.shape.slice(1)], values: data.values.subarray(begin * rowSize, end * rowSize) };
}
