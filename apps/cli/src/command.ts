/** One flag of a command, as node:util parseArgs takes it, plus help text. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** `<n>`-style placeholder for string flags in help. */
  readonly value?: string;
  readonly description: string;
}

/** What every command gets besides its own flags. */
export interface CommandContext {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream;
  /** Machine-readable output: one JSON document on stdout, nothing else there. */
  readonly json: boolean;
  readonly verbose: boolean;
  /** `--backend`, when given. */
  readonly backend: string | undefined;
  /** `--seed`, when given. */
  readonly seed: number | undefined;
  /** A line for humans: stdout normally, stderr under --json (stdout then holds only the JSON). */
  log(line: string): void;
  /** The command's result under --json. */
  emitJson(value: unknown): void;
}

export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

/**
 * A `recur` subcommand: its flags, help and examples, and what it does. `run` returns the exit
 * code (0 when it returns nothing).
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** e.g. `recur train <config> [options]` */
  readonly usage: string;
  /** A paragraph for `--help`. */
  readonly description: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly examples: readonly string[];
  /** Number of positional arguments: [min, max]. */
  readonly positionals: readonly [number, number];
  run(positionals: readonly string[], flags: FlagValues, context: CommandContext): Promise<number | void>;
}
