/**
 * Errors Recur raises for bad input. Each message names what was wrong, what was expected
 * and how to fix it, so a user never has to read a stack trace from inside a kernel.
 */
export class RecurError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor or array has the wrong rank, size or dimensions. */
export class ShapeError extends RecurError {}

/** An option, a value in the data, or a file's content is not acceptable. */
export class ValueError extends RecurError {}

/** A backend cannot serve a request (wrong contract version, missing capability). */
export class BackendError extends RecurError {}

/** Formats a shape the way messages print it: `[32, 40, 64]`, with `None` for unknown sizes. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}]`;
}
