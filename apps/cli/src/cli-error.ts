/**
 * An error the user can fix: printed as one line (no stack trace unless --verbose) and mapped
 * to a non-zero exit code. Usage mistakes (unknown flag, missing argument) exit with 2, every
 * other failure with 1, as most Unix tools do.
 *
 * @example
 * throw new CliError(`Config file 'train.yaml' does not exist.`);
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A mistake in how the command was called; exit code 2 and a pointer to `--help`. */
export class UsageError extends CliError {
  constructor(message: string, command: string) {
    super(`${message}\nRun 'recur ${command === '' ? '' : `${command} `}--help' for usage.`, 2);
    this.name = 'UsageError';
  }
}
