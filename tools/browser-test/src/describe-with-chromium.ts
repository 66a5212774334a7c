import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { CHROMIUM_PATH } from './chromium-path.js';

/**
 * `describe(title, body)` when Chromium is installed. Without it the suite is skipped with a
 * message saying how to install it, except under `CI=true`, where a missing browser is a
 * broken CI setup and fails the suite rather than passing it silently.
 *
 * @example
 * describeWithChromium('in headless Chromium with onnxruntime-web', () => {
 *   it('predicts', async () => { ... });
 * });
 */
export function describeWithChromium(title: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(title, body);
    return;
  }
  describe(title, () => {
    if (process.env.CI === 'true') {
      it('finds Chromium', () => {
        throw new Error(
          `CI=true but ${CHROMIUM_PATH} is missing: .ci/run installs the Debian package 'chromium' before the tests; check that step's output.`,
        );
      });
      return;
    }
    const reason = `skipped: ${CHROMIUM_PATH} is absent here (apt-get install chromium to run the browser test)`;
    console.warn(`${title}: ${reason}`);
    it.skip(reason, () => {});
  });
}
