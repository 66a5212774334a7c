import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';
import type { LabelledTextDataConfig } from '../config/data-config.js';
import { readTextFile } from '../config/read-config-file.js';
import { loadDatasetPackage } from './load-dataset-package.js';

/** One labelled example. */
export interface LabelledText {
  readonly text: string;
  readonly label: string;
}

/**
 * Labelled texts from a JSONL file (one object per line with `textField` and `labelField`), a
 * folder with one subfolder per label holding one file per text (names sorted, so the order is
 * the same on every machine), or a dataset package returning records. `labelMap` renames labels.
 *
 * @example
 * const examples = await loadLabelledTexts(config); // [{ text: 'Win money now', label: 'spam' }, ...]
 */
export async function loadLabelledTexts(config: LabelledTextDataConfig): Promise<LabelledText[]> {
  const source = config.source;
  let records: LabelledText[];
  if (source.kind === 'folder') records = await readFolder(source.path);
  else if (source.kind === 'file')
    records = readJsonl(await readTextFile(source.path, 'JSONL file'), source.path, config);
  else {
    const data = loadDatasetPackage(source.name, source.options, source.resolveFrom);
    if (!Array.isArray(data)) throw new CliError(`Dataset '${source.name}' did not return a list of records.`);
    records = data.map((item, k) => readRecord(item, `Dataset '${source.name}', record ${k}`, config));
  }
  if (records.length === 0) throw new CliError('The labelled data holds no examples.');
  const map = config.labelMap;
  return map === null ? records : records.map(({ text, label }) => ({ text, label: map[label] ?? label }));
}

function readJsonl(text: string, path: string, config: LabelledTextDataConfig): LabelledText[] {
  const records: LabelledText[] = [];
  text.split('\n').forEach((line, k) => {
    if (line.trim() === '') return;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch (error) {
      throw new CliError(`${path}, line ${k + 1}: not valid JSON (${(error as Error).message}).`);
    }
    records.push(readRecord(item, `${path}, line ${k + 1}`, config));
  });
  return records;
}

function readRecord(item: unknown, where: string, config: LabelledTextDataConfig): LabelledText {
  const record = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {};
  const text = record[config.textField];
  const label = record[config.labelField];
  if (typeof text !== 'string') {
    throw new CliError(
      `${where}: field '${config.textField}' (data.textField) is ${JSON.stringify(text)}, not a string. Fields there: ${Object.keys(record).join(', ') || 'none'}.`,
    );
  }
  if (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') {
    throw new CliError(
      `${where}: field '${config.labelField}' (data.labelField) is ${JSON.stringify(label)}; a label must be a string, number or boolean.`,
    );
  }
  return { text, label: String(label) };
}

async function readFolder(path: string): Promise<LabelledText[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch {
    throw new CliError(`Data folder '${path}' does not exist or cannot be read.`);
  }
  const labels = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  if (labels.length < 2)
    throw new CliError(`Data folder '${path}' needs one subfolder per label (at least two); found ${labels.length}.`);
  const records: LabelledText[] = [];
  for (const label of labels) {
    const files = (await readdir(join(path, label), { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
    for (const file of files) records.push({ text: await readTextFile(join(path, label, file), 'Text file'), label });
  }
  return records;
}
