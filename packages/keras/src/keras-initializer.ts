import type { InitializerName, InitializerSpec } from '@recur/core';

/** A Keras initializer as JSON: `{ class_name, config }`. */
export interface KerasInitializer {
  readonly class_name: string;
  readonly config: Record<string, unknown>;
}

const CLASS_NAMES: Record<InitializerName, string> = {
  glorot_uniform: 'GlorotUniform',
  glorot_normal: 'GlorotNormal',
  orthogonal: 'Orthogonal',
  zeros: 'Zeros',
  ones: 'Ones',
  random_uniform: 'RandomUniform',
  random_normal: 'RandomNormal',
};

/**
 * Reads a Keras initializer as Recur's, or null when Recur has no equivalent. Initializers only
 * matter when a model is re-initialised (the loaded weights replace them), so the caller falls
 * back to Recur's default and reports it rather than refusing the file. tfjs writes Glorot as
 * `VarianceScaling` with scale 1 and mode `fan_avg`; it is read back as Glorot.
 */
export function initializerFromKeras(value: unknown): InitializerSpec | null {
  if (typeof value === 'string') return initializerFromKeras({ class_name: value, config: {} });
  if (value === null || typeof value !== 'object') return null;
  const { class_name: className, config = {} } = value as { class_name?: unknown; config?: Record<string, unknown> };
  const number = (key: string): number | undefined =>
    typeof config[key] === 'number' ? (config[key] as number) : undefined;
  switch (String(className).replace(/_/g, '').toLowerCase()) {
    case 'glorotuniform':
      return 'glorot_uniform';
    case 'glorotnormal':
      return 'glorot_normal';
    case 'variancescaling':
      if (number('scale') !== 1 || config.mode !== 'fan_avg') return null;
      return config.distribution === 'uniform' ? 'glorot_uniform' : 'glorot_normal';
    case 'orthogonal':
      return { name: 'orthogonal', gain: number('gain') ?? 1 };
    case 'zeros':
      return 'zeros';
    case 'ones':
      return 'ones';
    case 'randomuniform':
      return { name: 'random_uniform', minval: number('minval') ?? -0.05, maxval: number('maxval') ?? 0.05 };
    case 'randomnormal':
      return { name: 'random_normal', mean: number('mean') ?? 0, stddev: number('stddev') ?? 0.05 };
    default:
      return null;
  }
}

/** Writes a Recur initializer the way tfjs-layers serialises one. */
export function initializerToKeras(spec: InitializerSpec): KerasInitializer {
  const { name, ...options } = typeof spec === 'string' ? { name: spec } : spec;
  return { class_name: CLASS_NAMES[name], config: { ...options, seed: null } };
}
