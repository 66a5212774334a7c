import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CliError } from '../cli-error.js';
import { readTextFile } from '../config/read-config-file.js';
import { parseCsv } from '../data/csv-table.js';

/** Input to `recur predict`, read by format. */
export type PredictInput =
  | { readonly format: 'json'; readonly value: unknown }
  | { readonly format: 'csv'; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] }
  | { readonly format: 'text'; readonly lines: readonly string[] };

export const INPUT_FORMATS = ['json', 'csv', 'text'] as const;

/**
 * Reads `--input` (a file, or `-` for stdin) as JSON, CSV or text lines: by `format`, else by
 * the file's extension (`.json`, `.csv`, anything else is text).
 *
 * @example
 * const input = await readPredictInput('reviews.txt', undefined);
 */
export async function readPredictInput(path: string, format: string | undefined): Promise<PredictInput> {
  const chosen = format ?? formatOf(path);
  if (!(INPUT_FORMATS as readonly string[]).includes(chosen))
    throw new CliError(`--format must be one of ${INPUT_FORMATS.join(', ')}; got '${chosen}'.`);
  const text = path === '-' ? await readStdin() : await readTextFile(path, 'Input file');
  const source = path === '-' ? 'stdin' : `'${path}'`;
  if (chosen === 'json') {
    try {
      return { format: 'json', value: JSON.parse(text) as unknown };
    } catch (error) {
      throw new CliError(`Input ${source} is not valid JSON: ${(error as Error).message}.`);
    }
  }
  if (chosen === 'csv') return { format: 'csv', ...parseCsv(text, `Input ${source}`) };
  return { format: 'text', lines: text.split(/\r?\n/).filter((line) => line.trim() !== '') };
}

function formatOf(path: string): string {
  const extension = extname(path).toLowerCase();
  return extension === '.json' ? 'json' : extension === '.csv' ? 'csv' : 'text';
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a whole file as bytes with the CLI's missing-file message. */
export async function readBytes(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch {
    throw new CliError(`${what} '${path}' does not exist or cannot be read.`);
  }
}
