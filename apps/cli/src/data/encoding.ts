import type { CharVocabularyJson, TensorData } from '@recur/core';

/** What a saved model was trained to do; decides how predict, generate and evaluate read input. */
export type Task = 'language-model' | 'classification' | 'forecasting';

/**
 * How raw data became model input, saved in the model's metadata so predict, generate and
 * evaluate encode new data exactly as training did (vocabulary, tokenizer, scaling).
 */
export type Encoding =
  | {
      readonly task: 'language-model';
      readonly vocabulary: CharVocabularyJson;
      readonly sequenceLength: number;
      readonly lowercase: boolean;
    }
  | {
      readonly task: 'classification';
      readonly tokenizer: 'word' | 'char';
      /** Token by id; id 0 is padding, id 1 stands for tokens outside the vocabulary. */
      readonly tokens: readonly string[];
      readonly labels: readonly string[];
      readonly maxLength: number;
      readonly lowercase: boolean;
      readonly skipUntil: string | null;
    }
  | { readonly task: 'forecasting'; readonly column: string; readonly window: number; readonly scaling: Scaling };

/** `scaled = (value - offset) / scale`. */
export interface Scaling {
  readonly kind: 'standard' | 'minmax' | 'none';
  readonly offset: number;
  readonly scale: number;
}

/** Inputs and labels of one part of the data. */
export interface Split {
  readonly x: TensorData;
  readonly y: TensorData;
}

/** Data ready for a model: encoded, windowed, split, with its encoding for the metadata. */
export interface PreparedData {
  readonly encoding: Encoding;
  readonly train: Split;
  readonly validation: Split | null;
  /** The shape of one input sample, the first layer's `inputShape` when the config leaves it out. */
  readonly sampleShape: readonly number[];
  /** Values for `$vocabularySize` and `$classes` in layer options. */
  readonly placeholders: Readonly<Record<string, number>>;
  /** One line for the log, e.g. `12,000 windows of 40 characters (61 distinct)`. */
  readonly description: string;
}
