import { CharVocabulary } from '@recur/core';
import type { DataConfig } from '../config/data-config.js';
import { classificationData } from './classification-data.js';
import type { Encoding, PreparedData } from './encoding.js';
import { languageModelData } from './language-model-data.js';
import { loadLabelledTexts } from './load-labelled-texts.js';
import { loadSeriesColumn } from './load-series-column.js';
import { loadTextCorpus } from './load-text-corpus.js';
import { seriesData } from './series-data.js';
import { CliError } from '../cli-error.js';

/**
 * Loads and encodes the data a config describes. `saved` is the encoding of a trained model
 * (evaluate, resume): the data is then encoded exactly as at training time.
 *
 * @example
 * const data = await prepareDataset(config.data, config.seed);
 */
export async function prepareDataset(config: DataConfig, seed: number, saved?: Encoding): Promise<PreparedData> {
  const expected = { text: 'language-model', series: 'forecasting', 'labelled-text': 'classification' }[config.kind];
  if (saved !== undefined && saved.task !== expected) {
    throw new CliError(`The model was trained for ${saved.task}, but the data is '${config.kind}' (for ${expected}).`);
  }
  switch (config.kind) {
    case 'text': {
      const vocabulary = saved?.task === 'language-model' ? CharVocabulary.fromJSON(saved.vocabulary) : undefined;
      return languageModelData(config, await loadTextCorpus(config.source), vocabulary);
    }
    case 'series':
      return seriesData(
        config,
        await loadSeriesColumn(config.source, config.column),
        saved?.task === 'forecasting' ? saved.scaling : undefined,
      );
    case 'labelled-text':
      return classificationData(
        config,
        await loadLabelledTexts(config),
        seed,
        saved?.task === 'classification' ? saved : undefined,
      );
  }
}
