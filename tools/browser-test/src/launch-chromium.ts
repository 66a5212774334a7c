import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from './chromium-path.js';

/**
 * Headless, no GPU, and quiet: nothing reaches the network besides the test server, nothing
 * from a previous run is reused (each launch gets a fresh profile).
 */
export const DEFAULT_CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchChromiumOptions {
  /** Flags added after DEFAULT_CHROMIUM_FLAGS, e.g. `['--enable-unsafe-swiftshader']`. */
  readonly extraFlags?: readonly string[];
}

/** One Chromium with one page, and what went wrong in that page so far. */
export interface ChromiumPage {
  readonly page: Page;
  /** Page errors, console errors and failed requests, in order: context for failure messages. */
  readonly problems: readonly string[];
  /** Loads `url` and waits until the page script has defined `globalThis[readyGlobal]`. */
  open(url: string, readyGlobal: string): Promise<void>;
  /** Awaits the page's `globalThis[name](argument)`; a failure carries the page's problems. */
  call<Result>(name: string, argument?: unknown): Promise<Result>;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

function withProblems(error: unknown, problems: readonly string[]): Error {
  return new Error([(error as Error).message, ...problems].join('\n'));
}

/**
 * Starts Debian's Chromium through playwright-core with a fresh temporary profile and
 * DEFAULT_CHROMIUM_FLAGS (plus `extraFlags`), and opens one page that records its problems.
 *
 * @example
 * const browser = await launchChromium();
 * await browser.open(`${server.url}/`, 'runRecurModel');
 * const result = await browser.call<PageRunResult>('runRecurModel', request);
 * await browser.close();
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<ChromiumPage> {
  const profile = mkdtempSync(join(tmpdir(), 'recur-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...DEFAULT_CHROMIUM_FLAGS, ...(options.extraFlags ?? [])],
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));

  return {
    page,
    problems,
    async open(url, readyGlobal) {
      await page.goto(url);
      try {
        await page.waitForFunction((name) => name in globalThis, readyGlobal, { timeout: 30_000 });
      } catch (error) {
        throw withProblems(
          new Error(`The test page at ${url} never defined ${readyGlobal}: ${(error as Error).message}`),
          problems,
        );
      }
    },
    async call<Result>(name: string, argument?: unknown): Promise<Result> {
      try {
        return (await page.evaluate(
          ([functionName, functionArgument]) =>
            (globalThis as unknown as Record<string, (value: unknown) => unknown>)[functionName](functionArgument),
          [name, argument] as const,
        )) as Result;
      } catch (error) {
        throw withProblems(error, problems);
      }
    },
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}
