import { CharVocabulary, windowText, type TensorData } from '@recur/core';
import { CliError } from '../cli-error.js';
import type { TextDataConfig } from '../config/data-config.js';
import type { PreparedData, Split } from './encoding.js';
import { tailSplit } from './tail-split.js';

/**
 * Character-level language-model data as in the Keras lecture: the (optionally lowercased and
 * sliced) text becomes windows of `sequenceLength` character ids, each labelled with the id of
 * the character after it; the last `validationSplit` of the windows is held out. With a
 * vocabulary from a saved model the text is encoded with it (evaluate), otherwise the text's
 * own sorted characters make the vocabulary.
 *
 * @example
 * const data = languageModelData(config, await loadTextCorpus(config.source));
 */
export function languageModelData(config: TextDataConfig, rawText: string, vocabulary?: CharVocabulary): PreparedData {
  const text = prepareText(rawText, config);
  const characters = vocabulary ?? CharVocabulary.fromText(text);
  let ids: Int32Array;
  try {
    ids = characters.encode(text);
  } catch (error) {
    throw new CliError(`The text does not fit the model's vocabulary: ${(error as Error).message}`);
  }
  if (ids.length <= config.sequenceLength) {
    throw new CliError(
      `The text has ${ids.length} characters; 'data.sequenceLength' ${config.sequenceLength} needs at least ${config.sequenceLength + 1}. Use a longer text or a shorter sequenceLength.`,
    );
  }
  const windows = windowText(ids, { length: config.sequenceLength, step: config.step });
  const { train, validation } = tailSplit(windows as Split, config.validationSplit);
  return {
    encoding: {
      task: 'language-model',
      vocabulary: characters.toJSON(),
      sequenceLength: config.sequenceLength,
      lowercase: config.lowercase,
    },
    train,
    validation,
    sampleShape: [config.sequenceLength],
    placeholders: { vocabularySize: characters.size },
    description: `${text.length.toLocaleString('en-US')} characters (${characters.size} distinct) -> ${count(train.x)} training and ${validation === null ? 0 : count(validation.x)} validation windows of ${config.sequenceLength}`,
  };
}

/** The text as the model sees it: lowercased and sliced as configured. */
export function prepareText(text: string, config: Pick<TextDataConfig, 'lowercase' | 'slice'>): string {
  const cased = config.lowercase ? text.toLowerCase() : text;
  return config.slice === null ? cased : cased.slice(config.slice[0], config.slice[1]);
}

function count(data: TensorData): string {
  return data.shape[0].toLocaleString('en-US');
}
