import { CliError } from '../cli-error.js';

/**
 * Typed reading of one object of a config file, with errors that name the field by its full
 * path (`data.sequenceLength`), what was found and what is allowed, so a typo never passes
 * silently and never surfaces later as an error from deep inside training.
 *
 * @example
 * const data = ConfigObject.root(parsed, 'train.yaml').object('data', { required: true })!;
 * const length = data.integer('sequenceLength', { min: 1 }) ?? 40;
 */
export class ConfigObject {
  private constructor(
    readonly value: Readonly<Record<string, unknown>>,
    /** Dotted path of this object in the file, '' at the root. */
    readonly path: string,
    /** The file, for messages. */
    readonly source: string,
  ) {}

  static root(value: unknown, source: string): ConfigObject {
    if (!isPlainObject(value))
      throw new CliError(`${source}: the config must be an object (a mapping of fields), got ${describe(value)}.`);
    return new ConfigObject(value, '', source);
  }

  /** An object nested at a path of the file (for values handed around, e.g. a layer entry). */
  static at(value: unknown, path: string, source: string): ConfigObject {
    if (!isPlainObject(value)) throw new CliError(`${source}: '${path}' must be an object, got ${describe(value)}.`);
    return new ConfigObject(value, path, source);
  }

  fieldPath(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  /** A message about a field, prefixed with the file. */
  error(key: string, message: string): CliError {
    return new CliError(`${this.source}: '${this.fieldPath(key)}' ${message}`);
  }

  /** Rejects fields outside `allowed`, listing the allowed ones. */
  allowOnly(allowed: readonly string[]): this {
    for (const key of Object.keys(this.value)) {
      if (!allowed.includes(key)) {
        throw new CliError(
          `${this.source}: unknown field '${this.fieldPath(key)}'. Allowed${this.path === '' ? '' : ` in '${this.path}'`}: ${allowed.join(', ')}.`,
        );
      }
    }
    return this;
  }

  has(key: string): boolean {
    return this.value[key] !== undefined && this.value[key] !== null;
  }

  raw(key: string): unknown {
    return this.value[key];
  }

  string(key: string, options: { required?: boolean; allowed?: readonly string[] } = {}): string | undefined {
    const value = this.present(key, options.required);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw this.error(key, `must be a string, got ${describe(value)}.`);
    if (options.allowed !== undefined && !options.allowed.includes(value)) {
      throw this.error(key, `must be one of ${options.allowed.map((name) => `'${name}'`).join(', ')}; got '${value}'.`);
    }
    return value;
  }

  number(
    key: string,
    options: { required?: boolean; min?: number; max?: number; integer?: boolean; exclusiveMax?: boolean } = {},
  ): number | undefined {
    const value = this.present(key, options.required);
    if (value === undefined) return undefined;
    const kind = options.integer === true ? 'an integer' : 'a number';
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (options.integer === true && !Number.isInteger(value))
    ) {
      throw this.error(key, `must be ${kind}, got ${describe(value)}.`);
    }
    const tooSmall = options.min !== undefined && value < options.min;
    const tooLarge =
      options.max !== undefined && (options.exclusiveMax === true ? value >= options.max : value > options.max);
    if (tooSmall || tooLarge) {
      const range = [
        options.min !== undefined ? `>= ${options.min}` : null,
        options.max !== undefined ? `${options.exclusiveMax === true ? '<' : '<='} ${options.max}` : null,
      ]
        .filter((part) => part !== null)
        .join(' and ');
      throw this.error(key, `must be ${kind} ${range}; got ${value}.`);
    }
    return value;
  }

  integer(key: string, options: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    return this.number(key, { ...options, integer: true });
  }

  boolean(key: string): boolean | undefined {
    const value = this.present(key, false);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw this.error(key, `must be true or false, got ${describe(value)}.`);
    return value;
  }

  object(key: string, options: { required?: boolean } = {}): ConfigObject | undefined {
    const value = this.present(key, options.required);
    if (value === undefined) return undefined;
    if (!isPlainObject(value))
      throw this.error(key, `must be an object (a mapping of fields), got ${describe(value)}.`);
    return new ConfigObject(value, this.fieldPath(key), this.source);
  }

  array(key: string, options: { required?: boolean } = {}): readonly unknown[] | undefined {
    const value = this.present(key, options.required);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw this.error(key, `must be a list, got ${describe(value)}.`);
    return value;
  }

  stringArray(key: string): string[] | undefined {
    const list = this.array(key);
    if (list === undefined) return undefined;
    list.forEach((item, k) => {
      if (typeof item !== 'string') throw this.error(`${key}[${k}]`, `must be a string, got ${describe(item)}.`);
    });
    return list as string[];
  }

  /** Exactly one of `keys` must be present; returns which. */
  oneOf<K extends string>(keys: readonly K[]): K {
    const present = keys.filter((key) => this.has(key));
    if (present.length !== 1) {
      const where = this.path === '' ? 'the config' : `'${this.path}'`;
      throw new CliError(
        `${this.source}: ${where} needs exactly one of ${keys.map((key) => `'${key}'`).join(', ')}${present.length > 1 ? `; it has ${present.map((key) => `'${key}'`).join(' and ')}` : ''}.`,
      );
    }
    return present[0];
  }

  private present(key: string, required: boolean | undefined): unknown {
    const value = this.value[key];
    if (value === undefined || value === null) {
      if (required === true) throw this.error(key, 'is required.');
      return undefined;
    }
    return value;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A short description of a bad value for messages: `"abc"`, `42`, `a list`. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  return String(value);
}
