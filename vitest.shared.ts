import { defineConfig, type TestUserConfig, type ViteUserConfig } from 'vitest/config';

// '@recur/source' (see each package's "exports") makes workspace packages resolve to their
// TypeScript sources, so tests never need a prior build. Vitest runs Node tests in Vite's SSR
// environment: `ssr.resolve.conditions` is the one that applies there; `resolve.conditions`
// covers browser environments. Setting conditions replaces Vite's defaults, so the defaults are
// repeated after the custom one.
const conditions = ['@recur/source', 'import', 'module', 'node', 'development|production', 'default'];

/** The vitest config every package shares: sources through '@recur/source', tests in test/. */
export function recurVitestConfig(test: TestUserConfig = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, ...test },
  });
}
