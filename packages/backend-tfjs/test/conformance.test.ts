import { beforeAll, describe } from 'vitest';
import { runConformanceSuite } from '@recur/conformance';
import { tfjsBackend } from '../src/index.js';
import { TFJS_BACKENDS, tf, useTfjsBackend } from './tfjs-setup.js';

// Recur's backend conformance suite, once per tfjs backend that runs in Node.
for (const tfjsName of TFJS_BACKENDS) {
  describe(`tfjs ${tfjsName}`, () => {
    beforeAll(() => useTfjsBackend(tfjsName));
    runConformanceSuite({
      name: `tfjs-${tfjsName}`,
      createBackend: () => tfjsBackend({ tf }),
    });
  });
}
