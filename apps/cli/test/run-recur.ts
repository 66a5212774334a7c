import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The built binary, run the way a user runs it. */
export const CLI = join(here, '..', 'dist', 'cli.js');
export const FIXTURES = join(here, 'fixtures');

export interface RecurRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Spawns `node dist/cli.js <args>` (stdout is a pipe, so progress comes as plain lines).
 * `onOutput` sees the output as it arrives and may act on the child (send SIGINT). It runs in
 * the fixtures folder unless `cwd` says otherwise.
 */
export function runRecur(
  args: readonly string[],
  options: { onOutput?: (text: string, child: ReturnType<typeof spawn>) => void; cwd?: string } = {},
): Promise<RecurRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? FIXTURES,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onOutput?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A fresh temporary folder for one test's outputs. */
export function scratchFolder(): string {
  return mkdtempSync(join(tmpdir(), 'recur-cli-test-'));
}
