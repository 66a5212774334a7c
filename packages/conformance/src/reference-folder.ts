import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the golden reference data is, or why it could not be found. */
export type ReferenceFolder =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly message: string };

/**
 * Locates the shared golden reference data (PyTorch outputs and gradients; see its README).
 * `RECUR_REFERENCE_DIR` wins when set; otherwise the folder is `<repo root>/../shared/reference`,
 * found from this file's location (src/ and dist/ sit at the same depth in the package).
 *
 * @example
 * const folder = findReferenceFolder();
 * if (folder.found) console.log(join(folder.path, 'cells'));
 */
export function findReferenceFolder(environment: NodeJS.ProcessEnv = process.env): ReferenceFolder {
  const fromEnvironment = environment.RECUR_REFERENCE_DIR;
  const useEnvironment = fromEnvironment !== undefined && fromEnvironment !== '';
  const path = useEnvironment
    ? resolve(fromEnvironment)
    : fileURLToPath(new URL('../../../../shared/reference', import.meta.url));
  if (existsSync(join(path, 'cells'))) return { found: true, path };
  const source = useEnvironment
    ? 'from RECUR_REFERENCE_DIR'
    : 'the default <repo root>/../shared/reference, RECUR_REFERENCE_DIR being unset';
  return {
    found: false,
    message:
      `Golden reference data not found: looked for ${join(path, 'cells')} (${source}). ` +
      'Set RECUR_REFERENCE_DIR to the reference folder (the one holding README.md and cells/), ' +
      'or place the shared reference data next to the repository as ../shared/reference.',
  };
}
