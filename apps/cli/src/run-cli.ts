import { parseArgs } from 'node:util';
import { RecurError } from '@recur/core';
import { CliError, UsageError } from './cli-error.js';
import type { Command, CommandContext } from './command.js';
import { COMMANDS } from './commands/command-table.js';
import { numberFlag, stringFlag } from './flag-values.js';
import { GLOBAL_FLAGS, commandHelp, mainHelp } from './help-text.js';
import { checkBackendName } from './backend-table.js';

export interface CliStreams {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream;
}

/**
 * Runs `recur` with `argv` (without `node` and the script) and returns the exit code: 0 on
 * success, 1 for a failure, 2 for a usage mistake. Errors are one line on stderr (plus the
 * stack with --verbose); under --json also `{ "error": ... }` on stdout.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), process);
 */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  const verbose = argv.includes('--verbose');
  const json = argv.includes('--json');
  try {
    return await dispatch(argv, streams);
  } catch (error) {
    const known = error instanceof CliError || error instanceof RecurError;
    const message = error instanceof Error ? error.message : String(error);
    streams.stderr.write(`error: ${message}\n`);
    if (verbose && error instanceof Error && error.stack !== undefined) streams.stderr.write(`${error.stack}\n`);
    else if (!known)
      streams.stderr.write(
        '(an unexpected error: run again with --verbose for the stack trace, and please report it)\n',
      );
    if (json) streams.stdout.write(`${JSON.stringify({ error: message })}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

async function dispatch(argv: readonly string[], streams: CliStreams): Promise<number> {
  const { leading, name, rest: afterName } = splitAtCommand(argv);
  const rest = [...leading, ...afterName];
  if (name === undefined && leading.length > 0)
    throw new UsageError(
      `'${leading.join(' ')}' needs a command after it, e.g. recur ${leading.join(' ')} train config.yaml.`,
      '',
    );
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((command) => command.name === afterName[0]) : undefined;
    streams.stdout.write(topic !== undefined ? commandHelp(topic) : mainHelp(COMMANDS));
    return 0;
  }
  if (name === '--version') {
    streams.stdout.write(`${(await import('./cli-version.js')).CLI_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    throw new UsageError(
      `Unknown command '${name}'. Commands: ${COMMANDS.map((candidate) => candidate.name).join(', ')}.`,
      '',
    );
  }
  const { values, positionals } = parseCommandLine(command, rest);
  if (values.help === true) {
    streams.stdout.write(commandHelp(command));
    return 0;
  }
  const [min, max] = command.positionals;
  if (positionals.length < min || positionals.length > max) {
    throw new UsageError(
      `'recur ${command.name}' takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${positionals.length}: ${command.usage}`,
      command.name,
    );
  }
  const backend = stringFlag(values, 'backend');
  if (backend !== undefined) checkBackendName(backend);
  const json = values.json === true;
  const context: CommandContext = {
    stdout: streams.stdout,
    stderr: streams.stderr,
    json,
    verbose: values.verbose === true,
    backend,
    seed: numberFlag(values, 'seed', command.name, { integer: true, min: 0 }),
    log: (line) => (json ? streams.stderr : streams.stdout).write(`${line}\n`),
    emitJson: (value) => streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
  return (await command.run(positionals, values, context)) ?? 0;
}

/**
 * Splits `recur [global flags] <command> [arguments]`: global flags (--backend, --seed, --json,
 * --verbose) may stand before the command as well as after it, as in git or docker. `leading`
 * holds them, with their values, to be parsed with the command's own flags.
 */
function splitAtCommand(argv: readonly string[]): {
  leading: string[];
  name: string | undefined;
  rest: readonly string[];
} {
  let k = 0;
  while (k < argv.length && argv[k].startsWith('--')) {
    const flag = argv[k].slice(2).split('=')[0];
    const spec = Object.hasOwn(GLOBAL_FLAGS, flag) && flag !== 'help' ? GLOBAL_FLAGS[flag] : undefined;
    if (spec === undefined) break;
    k += spec.type === 'string' && !argv[k].includes('=') ? 2 : 1;
  }
  const leading = argv.slice(0, Math.min(k, argv.length));
  return { leading, name: argv[k], rest: argv.slice(k + 1) };
}

function parseCommandLine(
  command: Command,
  args: readonly string[],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const flags = { ...GLOBAL_FLAGS, ...command.flags };
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, spec]) => [
      name,
      spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
      allowNegative: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '.');
    throw new UsageError(message, command.name);
  }
}
