import { it, type TestContext } from 'vitest';

/** The body of a conformance case; it throws (or fails an expectation) when the backend is wrong. */
export type CaseBody = (context: TestContext) => void | Promise<void>;

/**
 * Registers the suite's cases as vitest tests under stable ids and applies a backend's
 * exclusions. A case is skipped only when its exact id is listed (never by a name pattern), and
 * the reason is part of the reported test name. Cases a backend cannot run at all (no fused
 * kernel) are skipped as "not applicable", and cases for layers core does not have yet are
 * `todo`: neither is ever reported as passed.
 */
export class CaseRegistry {
  private readonly ids = new Set<string>();

  constructor(private readonly exclusions: ReadonlyMap<string, string>) {}

  /** Registers a runnable case; `title` defaults to the id. */
  add(id: string, body: CaseBody, title: string = id): void {
    this.claim(id);
    const reason = this.exclusions.get(id);
    if (reason === undefined) it(title, body);
    else it.skip(`${title} [excluded: ${reason}]`, body);
  }

  /** Registers a case the backend has no way to run (e.g. it has no fused kernel). */
  notApplicable(id: string, reason: string, title: string = id): void {
    this.claim(id);
    it.skip(`${title} [not applicable: ${reason}]`);
  }

  /** Registers a case the suite or core cannot run yet. */
  notSupported(id: string, reason: string, title: string = id): void {
    this.claim(id);
    it.todo(`${title} [not supported: ${reason}]`);
  }

  /** Registers a case that fails with `message` (a precondition of the suite is missing). */
  broken(id: string, message: string, title: string = id): void {
    this.claim(id);
    it(title, () => {
      throw new Error(message);
    });
  }

  /** Excluded ids that name no registered case (a renamed or removed case, or a typo). */
  staleExclusions(): string[] {
    return [...this.exclusions.keys()].filter((id) => !this.ids.has(id));
  }

  private claim(id: string): void {
    if (this.ids.has(id)) throw new Error(`Suite bug: the conformance case id '${id}' is registered twice.`);
    this.ids.add(id);
  }
}

/** A seed derived from a case id (FNV-1a), so a case draws the same numbers however the suite grows. */
export function seedOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < id.length; k++) hash = Math.imul(hash ^ id.charCodeAt(k), 0x01000193) >>> 0;
  return hash;
}
