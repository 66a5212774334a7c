import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findReferenceFolder } from '../src/reference-folder.js';

describe('the suite finds the golden reference data', () => {
  it('uses RECUR_REFERENCE_DIR when set, and says where it looked when the folder is missing', () => {
    const missing = findReferenceFolder({ RECUR_REFERENCE_DIR: '/no/such/reference' });
    expect(missing.found).toBe(false);
    if (!missing.found) {
      expect(missing.message).toContain('/no/such/reference/cells');
      expect(missing.message).toContain('RECUR_REFERENCE_DIR');
    }
  });

  it('defaults to <repo root>/../shared/reference', () => {
    const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
    const expected = resolve(repositoryRoot, '..', 'shared', 'reference');
    const folder = findReferenceFolder({});
    if (existsSync(join(expected, 'cells'))) {
      expect(folder).toEqual({ found: true, path: expected });
    } else {
      expect(folder.found).toBe(false);
      if (!folder.found) expect(folder.message).toContain(join(expected, 'cells'));
    }
  });
});
