import { defineConfig } from 'vitest/config';

// '@recur/source' (see each package's "exports") makes workspace packages
// resolve to their TypeScript sources, so tests never need a prior build.
// Vitest runs Node tests in Vite's SSR environment: `ssr.resolve.conditions`
// is the one that applies there (verified); `resolve.conditions` covers
// client/browser environments. Setting conditions replaces Vite's defaults,
// so the defaults are repeated after the custom one.
const conditions = [
  '@recur/source',
  'import',
  'module',
  'node',
  'development|production',
  'default',
];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/recur-kernels.wasm from assembly/ before any test loads it.
    globalSetup: ['test/compile-kernels.ts'],
    testTimeout: 120_000,
  },
});
