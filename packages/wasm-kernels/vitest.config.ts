import { recurVitestConfig } from '../../vitest.shared.ts';

// Builds dist/recur-kernels.wasm from assembly/ before any test loads it.
export default recurVitestConfig({ globalSetup: ['test/compile-kernels.ts'] });
