import asc from 'assemblyscript/asc';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: compiles assembly/ into dist/recur-kernels.wasm with the package's own
 * asconfig.json (the same command as `pnpm build`), so the tests always run the kernels of the
 * current sources through the default loading path, without a prior build.
 */
export default async function compileKernels(): Promise<void> {
  const config = fileURLToPath(new URL('../asconfig.json', import.meta.url));
  const { error, stderr } = await asc.main(['--config', config]);
  if (error !== null)
    throw new Error(`AssemblyScript could not compile assembly/: ${error.message}\n${stderr.toString()}`);
}
