import { BACKEND_NAMES } from './backend-table.js';
import type { Command, FlagSpec } from './command.js';

/** Flags every command takes. */
export const GLOBAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  backend: {
    type: 'string',
    value: '<name>',
    description: `Backend: ${BACKEND_NAMES.join(', ')} (onnxruntime: predict and generate only). Default ts.`,
  },
  seed: {
    type: 'string',
    value: '<n>',
    description: 'Seed for everything random (initial weights, shuffling, dropout, sampling).',
  },
  json: { type: 'boolean', description: 'Print one machine-readable JSON document on stdout.' },
  verbose: { type: 'boolean', description: 'Print stack traces of errors.' },
  help: { type: 'boolean', short: 'h', description: 'Show help.' },
};

/** `recur <command> --help`. */
export function commandHelp(command: Command): string {
  return [
    `Usage: ${command.usage}`,
    '',
    command.description,
    '',
    ...(Object.keys(command.flags).length > 0 ? ['Options:', ...flagLines(command.flags), ''] : []),
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Examples:',
    ...command.examples.map((example) => `  ${example}`),
    '',
  ].join('\n');
}

/** `recur --help`. */
export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: recur [global options] <command> [options]',
    '',
    'Train, evaluate and run recurrent sequence models (LSTM, GRU, SimpleRNN); export them to ONNX.',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Global options (before or after the command):',
    ...flagLines(GLOBAL_FLAGS),
    '',
    "Run 'recur <command> --help' for a command's options and examples.",
    '',
    'Examples:',
    '  recur train examples/text-generation/config.yaml',
    '  recur generate out/model --prompt "the union " --temperature 0.5',
    '  recur export out/model --format onnx --out model.onnx',
    '',
  ].join('\n');
}

function flagLines(flags: Readonly<Record<string, FlagSpec>>): string[] {
  const entries = Object.entries(flags).map(([name, spec]) => [
    `${spec.short !== undefined ? `-${spec.short}, ` : '    '}--${name}${spec.value !== undefined ? ` ${spec.value}` : ''}`,
    spec.description,
  ]);
  const width = Math.max(...entries.map(([left]) => left.length));
  return entries.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
