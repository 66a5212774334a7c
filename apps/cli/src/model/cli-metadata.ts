import { CharVocabulary } from '@recur/core';
import { CliError } from '../cli-error.js';
import type { Encoding } from '../data/encoding.js';
import type { DataConfig } from '../config/data-config.js';

/** How the model was trained, so evaluate uses the same loss, metrics and data split. */
export interface TrainingRecord {
  readonly loss: string;
  readonly metrics: readonly string[];
  /** The seed of the run (it also shuffles labelled texts before their split). */
  readonly seed: number;
  readonly batchSize: number;
}

/** What the CLI stores in a saved model's (string) metadata besides Recur's own keys. */
export interface CliMetadata {
  readonly encoding?: Encoding;
  readonly training?: TrainingRecord;
  /** The data section the model was trained on (absolute paths), so `recur evaluate <model>` needs no config. */
  readonly data?: DataConfig;
}

const KEYS = { encoding: 'encoding', training: 'training', data: 'data', vocabulary: 'vocabulary' } as const;

/**
 * Metadata strings for saveModel (and the ONNX `metadata_props`). A language model also gets
 * `vocabulary`, the CharVocabulary JSON that core's examples read.
 *
 * @example
 * await saveModel(model, folder, { metadata: toMetadata({ encoding, training, data }) });
 */
export function toMetadata(metadata: CliMetadata): Record<string, string> {
  const entries: Record<string, string> = {};
  if (metadata.encoding !== undefined) {
    entries[KEYS.encoding] = JSON.stringify(metadata.encoding);
    if (metadata.encoding.task === 'language-model')
      entries[KEYS.vocabulary] = JSON.stringify(metadata.encoding.vocabulary);
  }
  if (metadata.training !== undefined) entries[KEYS.training] = JSON.stringify(metadata.training);
  if (metadata.data !== undefined) entries[KEYS.data] = JSON.stringify(metadata.data);
  return entries;
}

/** Reads what `toMetadata` wrote; a model from elsewhere simply has none of it. */
export function fromMetadata(metadata: Readonly<Record<string, string>>, source: string): CliMetadata {
  const read = <T>(key: string): T | undefined => {
    const text = metadata[key];
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(`${source}: metadata '${key}' is not valid JSON; the model folder is damaged.`);
    }
  };
  return {
    encoding: read<Encoding>(KEYS.encoding),
    training: read<TrainingRecord>(KEYS.training),
    data: reviveData(read<DataConfig>(KEYS.data)),
  };
}

/**
 * JSON writes an open end of a text slice (`[-260000]`, stored as `[-260000, undefined]`) as
 * `null`, and `slice(-260000, null)` is empty: the open end comes back as undefined.
 */
function reviveData(data: DataConfig | undefined): DataConfig | undefined {
  if (data?.kind !== 'text' || data.slice === null) return data;
  return { ...data, slice: [data.slice[0], data.slice[1] ?? undefined] };
}

/** The character vocabulary of a language model, or a clear error for other models. */
export function requireLanguageModel(
  metadata: CliMetadata,
  source: string,
  command: string,
): { vocabulary: CharVocabulary; lowercase: boolean } {
  if (metadata.encoding?.task !== 'language-model') {
    const what =
      metadata.encoding === undefined
        ? 'has no character vocabulary in its metadata'
        : `was trained for ${metadata.encoding.task}`;
    throw new CliError(
      `'${command}' needs a character language model, but ${source} ${what}. Train one with 'recur train' and a data.kind: text config.`,
    );
  }
  return { vocabulary: CharVocabulary.fromJSON(metadata.encoding.vocabulary), lowercase: metadata.encoding.lowercase };
}
