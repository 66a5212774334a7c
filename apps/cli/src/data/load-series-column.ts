import { CliError } from '../cli-error.js';
import type { DataSource } from '../config/data-config.js';
import { readTextFile } from '../config/read-config-file.js';
import { numericColumn, parseCsv } from './csv-table.js';
import { loadDatasetPackage } from './load-dataset-package.js';

/**
 * One numeric column, in file order: from a CSV file (by header name or index) or from a
 * dataset package returning records (by field name) or plain numbers.
 *
 * @example
 * const births = await loadSeriesColumn({ kind: 'file', path: 'births.csv' }, 'births');
 */
export async function loadSeriesColumn(source: DataSource, column: string): Promise<Float64Array> {
  if (source.kind === 'file')
    return numericColumn(parseCsv(await readTextFile(source.path, 'CSV file'), source.path), column, source.path);
  if (source.kind === 'folder')
    throw new CliError(`A series comes from a CSV file or a dataset package, not a folder ('${source.path}').`);
  const data = loadDatasetPackage(source.name, source.options, source.resolveFrom);
  if (!Array.isArray(data)) throw new CliError(`Dataset '${source.name}' did not return a list of records.`);
  return Float64Array.from(data, (item: unknown, k) => {
    const value =
      typeof item === 'number'
        ? item
        : item !== null && typeof item === 'object'
          ? (item as Record<string, unknown>)[column]
          : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      const fields = item !== null && typeof item === 'object' ? ` Its fields: ${Object.keys(item).join(', ')}.` : '';
      throw new CliError(
        `Dataset '${source.name}', record ${k}: field '${column}' is ${JSON.stringify(value)}, not a number.${fields}`,
      );
    }
    return value;
  });
}
