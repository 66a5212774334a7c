import { ValueError } from '@recur/core';
import type { LayersProducer } from './keras-activation.js';

/** One layer of a Keras / tfjs-layers topology, keys in snake_case. */
export interface KerasLayerJson {
  readonly class_name: string;
  readonly config: Record<string, unknown>;
}

/**
 * Rewrites every key of a topology to snake_case (`returnSequences` -> `return_sequences`).
 * Files from `model.save` and the Python converter already use snake_case; configs taken from
 * tfjs's `getConfig()` use camelCase. Values are left alone (names must not change).
 */
export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(),
      snakeCaseKeys(inner),
    ]),
  );
}

/** Reads the producer from `keras_version`: "tfjs-layers 4.22.0", "2.15.0", "3.3.3". */
export function producerOf(kerasVersion: unknown): LayersProducer {
  if (typeof kerasVersion !== 'string') return 'unknown';
  if (kerasVersion.startsWith('tfjs')) return 'tfjs';
  if (/^[12]\./.test(kerasVersion)) return 'keras2';
  if (/^3\./.test(kerasVersion)) return 'keras3';
  return 'unknown';
}

/** Checks that a topology entry looks like `{ class_name, config }`. */
export function asKerasLayer(value: unknown, where: string): KerasLayerJson {
  if (value === null || typeof value !== 'object' || typeof (value as KerasLayerJson).class_name !== 'string') {
    throw new ValueError(
      `${where} is not a Keras layer ({ class_name, config }): got ${JSON.stringify(value)?.slice(0, 120)}.`,
    );
  }
  const layer = value as KerasLayerJson;
  return {
    class_name: layer.class_name,
    config: layer.config !== null && typeof layer.config === 'object' ? layer.config : {},
  };
}
