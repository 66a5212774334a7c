import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, FIXTURES } from './run-recur.js';

describe('the built command', () => {
  it('is an executable file that starts with a node shebang', () => {
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    // Executable by its owner, group and others, as npm and pnpm make a package's bin.
    expect(statSync(CLI).mode & 0o111).toBe(0o111);
  });

  it('runs by itself, without `node` in front, as a linked `recur` does', () => {
    const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
    expect(execFileSync(CLI, ['--version'], { cwd: FIXTURES, encoding: 'utf8' }).trim()).toBe(version);
  });
});
