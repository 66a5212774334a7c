import { RandomGenerator } from '@recur/core';
import { CliError } from '../cli-error.js';
import type { LabelledTextDataConfig } from '../config/data-config.js';
import type { Encoding, PreparedData, Split } from './encoding.js';
import type { LabelledText } from './load-labelled-texts.js';
import { tailSplit } from './tail-split.js';
import { buildTokenVocabulary, encodeDocuments, tokenize } from './token-vocabulary.js';

type ClassificationEncoding = Extract<Encoding, { task: 'classification' }>;

/**
 * Sequence-classification data: the examples are shuffled with `seed` (files and datasets are
 * often sorted by label), the last `validationSplit` held out, the vocabulary built from the
 * training texts only, texts encoded as `[S, maxLength]` token ids and labels as class ids
 * (labels sorted by name). With a saved encoding (evaluate) that vocabulary and label list are used.
 *
 * @example
 * const data = classificationData(config, await loadLabelledTexts(config), 42);
 */
export function classificationData(
  config: LabelledTextDataConfig,
  examples: readonly LabelledText[],
  seed: number,
  saved?: ClassificationEncoding,
): PreparedData {
  const order = new RandomGenerator(seed).permutation(examples.length);
  const shuffled = Array.from(order, (k) => examples[k]);
  const documents = shuffled.map((example) => tokenize(normaliseText(example.text, config), config.tokenizer));
  const labels = saved?.labels ?? [...new Set(shuffled.map((example) => example.label))].sort();
  if (labels.length < 2)
    throw new CliError(`The labelled data has a single label ('${labels[0]}'); classification needs at least two.`);
  const labelIds = new Map(labels.map((label, id) => [label, id]));
  const y = Int32Array.from(shuffled, (example) => {
    const id = labelIds.get(example.label);
    if (id === undefined)
      throw new CliError(`Label '${example.label}' was not among the model's labels (${labels.join(', ')}).`);
    return id;
  });
  const maxLength = saved?.maxLength ?? config.maxLength;
  const trainCount = Math.floor(shuffled.length * (1 - config.validationSplit));
  const tokens = saved?.tokens ?? buildTokenVocabulary(documents.slice(0, trainCount), config.maxVocabulary);
  const all: Split = {
    x: { shape: [shuffled.length, maxLength], values: encodeDocuments(documents, tokens, maxLength) },
    y: { shape: [shuffled.length], values: y },
  };
  const { train, validation } = tailSplit(all, config.validationSplit);
  return {
    encoding: {
      task: 'classification',
      tokenizer: config.tokenizer,
      tokens,
      labels,
      maxLength,
      lowercase: config.lowercase,
      skipUntil: config.skipUntil,
    },
    train,
    validation,
    sampleShape: [maxLength],
    placeholders: { vocabularySize: tokens.length, classes: labels.length },
    description: `${shuffled.length.toLocaleString('en-US')} texts, labels ${labels.map((label) => `'${label}'`).join(', ')}, ${tokens.length.toLocaleString('en-US')} ${config.tokenizer === 'word' ? 'words' : 'characters'} in the vocabulary, ${train.x.shape[0]} training / ${validation?.x.shape[0] ?? 0} validation`,
  };
}

/** A text as the tokenizer sees it: header part skipped and lowercased as configured. */
export function normaliseText(text: string, options: { skipUntil: string | null; lowercase: boolean }): string {
  let body = text;
  if (options.skipUntil !== null) {
    const at = body.indexOf(options.skipUntil);
    if (at >= 0) body = body.slice(at + options.skipUntil.length);
  }
  return options.lowercase ? body.toLowerCase() : body;
}
