import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CliError } from '../cli-error.js';

/**
 * Reads a JSON or YAML config file (by extension: `.json`, `.yaml`, `.yml`) into plain data.
 * Syntax errors name the file and the line.
 *
 * @example
 * const parsed = await readConfigFile('examples/time-series/config.yaml');
 */
export async function readConfigFile(path: string): Promise<unknown> {
  const extension = extname(path).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(extension)) {
    throw new CliError(`Config file '${path}' must end in .json, .yaml or .yml.`);
  }
  const text = await readTextFile(path, 'Config file');
  if (extension === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new CliError(`Config file '${path}' is not valid JSON: ${(error as Error).message}.`);
    }
  }
  try {
    return parseYaml(text, { prettyErrors: true }) as unknown;
  } catch (error) {
    throw new CliError(`Config file '${path}' is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** A UTF-8 file's text; a missing file is a one-line error naming `what` and the path. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${what} '${path}' does not exist.`);
    if (code === 'EISDIR') throw new CliError(`${what} '${path}' is a folder, not a file.`);
    throw new CliError(`${what} '${path}' cannot be read: ${(error as Error).message}`);
  }
}
