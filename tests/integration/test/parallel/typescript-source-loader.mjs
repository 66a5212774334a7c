// Registers `typescript-source-hooks.mjs` in a worker thread (Worker `execArgv: ['--import', <this file>]`),
// so data-parallel workers run the workspace's TypeScript sources, the same code the test's main
// thread runs under vitest, instead of possibly stale builds.
import { register } from 'node:module';

register(new URL('./typescript-source-hooks.mjs', import.meta.url));
