import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { RECUR_ONNX_VERSION } from '../src/index.js';

it('the version written into exported files is the package version', () => {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(RECUR_ONNX_VERSION).toBe(manifest.version);
});
