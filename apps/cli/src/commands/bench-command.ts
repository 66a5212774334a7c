import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli-error.js';
import type { Command } from '../command.js';

/** The bench harness of the Recur repository (tools/bench), when the CLI runs from a checkout. */
function benchScript(): string | null {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 6; level++) {
    const candidate = join(folder, 'tools', 'bench', 'dist', 'cli.js');
    if (existsSync(candidate)) return candidate;
    folder = dirname(folder);
  }
  return null;
}

/** `recur bench [args...]`: hands over to tools/bench. */
export const benchCommand: Command = {
  name: 'bench',
  summary: 'Run the benchmark harness (tools/bench) of a Recur checkout',
  usage: 'recur bench [-- bench options]',
  description:
    "Runs Recur's benchmarks (tools/bench: Recur backends side by side with the systems users would pick instead). Arguments after -- go to the harness; 'recur bench -- --help' lists them.",
  positionals: [0, Infinity],
  flags: {},
  examples: ['recur bench', 'recur bench -- --help'],
  async run(positionals) {
    const script = benchScript();
    if (script === null) {
      throw new CliError(
        "'recur bench' needs the Recur repository's tools/bench, built: run it from a checkout after 'pnpm build'.",
      );
    }
    const child = spawn(process.execPath, [script, ...positionals], { stdio: 'inherit' });
    return new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  },
};
