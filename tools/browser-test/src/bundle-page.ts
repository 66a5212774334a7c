import { build } from 'esbuild';

export interface BundlePageOptions {
  /** Bare imports left to the page's import map, e.g. `['onnxruntime-web/wasm']`. */
  readonly external?: readonly string[];
}

/**
 * Bundles a test page's entry module the way a user's bundler would: one ES module for the
 * browser, packages resolved by name under the `browser` condition. The `@recur/source`
 * condition makes workspace packages resolve to their TypeScript sources, so no build is needed.
 *
 * @example
 * const script = await bundlePage(join(here, 'browser', 'page-entry.ts'));
 * files.set('/page.js', { body: script, contentType: 'text/javascript' });
 */
export async function bundlePage(entryPoint: string, options: BundlePageOptions = {}): Promise<string> {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@recur/source'],
    external: [...(options.external ?? [])],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
