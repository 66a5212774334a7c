import { defineConfig, mergeConfig } from 'vitest/config';
import packageConfig from '../vitest.config.js';

// The package's config (workspace sources through the '@recur/source' condition) with the
// benchmark files of this folder. Run from the package: `npx vitest bench --run --config bench/vitest.config.ts`.
export default mergeConfig(
  packageConfig,
  defineConfig({
    test: { benchmark: { include: ['bench/**/*.bench.ts'] } },
  }),
);
