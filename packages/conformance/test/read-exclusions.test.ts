import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readExclusions } from '../src/read-exclusions.js';

describe('a backend lists the cases it cannot pass in an exclusion file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'recur-exclusions-'));
  const write = (name: string, text: string) => {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };

  it('maps each case id to its reason, from a path or a file URL', () => {
    const path = write('good.json', '{"primitive/unary/tanh": "uses a float16 approximation"}');
    expect(readExclusions(path)).toEqual(new Map([['primitive/unary/tanh', 'uses a float16 approximation']]));
    expect(readExclusions(pathToFileURL(path)).size).toBe(1);
  });

  it('means no exclusions when no file is given', () => {
    expect(readExclusions(undefined).size).toBe(0);
  });

  it('names the file when it is missing, not JSON, or not an object', () => {
    expect(() => readExclusions(join(folder, 'absent.json'))).toThrow(/absent\.json/);
    expect(() => readExclusions(write('broken.json', '{'))).toThrow(/broken\.json is not valid JSON/);
    expect(() => readExclusions(write('list.json', '["primitive/unary/tanh"]'))).toThrow(/must hold a JSON object/);
  });

  it('refuses an exclusion without a reason', () => {
    expect(() => readExclusions(write('empty-reason.json', '{"golden/lstm_l1_uni_sf_h0": " "}'))).toThrow(
      /no reason for 'golden\/lstm_l1_uni_sf_h0'/,
    );
  });
});
