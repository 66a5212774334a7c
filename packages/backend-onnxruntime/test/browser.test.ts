import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SequenceStream, type Sequential, type TensorData } from '@recur/core';
import { exportOnnx } from '@recur/onnx';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageRunRequest, PageRunResult, PlainTensor } from './browser/page-entry.js';
import { startTestServer, type ServedFile } from './browser/test-server.js';
import { expectClose } from './expect-close.js';
import { MODEL_CASES } from './model-cases.js';

/**
 * The browser story: a page bundled the way a user's bundler would bundle it loads models
 * exported in Node, runs them on onnxruntime-web (WebAssembly) in headless Chromium, and gets
 * backend-ts's numbers within 1e-5.
 */

const CHROMIUM = '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));

interface Expected {
  readonly request: PageRunRequest;
  readonly predict: TensorData;
  readonly steps: readonly TensorData[];
}

function plain(tensor: TensorData): PlainTensor {
  return { shape: [...tensor.shape], values: Array.from(tensor.values) };
}

function fromPlain(tensor: PlainTensor): TensorData {
  return { shape: tensor.shape, values: Float32Array.from(tensor.values) };
}

/** core's SequenceStream outputs for consecutive steps (none for models that need whole sequences). */
function referenceSteps(model: Sequential, steps: readonly TensorData[] | null): TensorData[] {
  if (steps === null) return [];
  const reference = new SequenceStream(model);
  return steps.map((step) => reference.step(step));
}

/** The page bundle: the package resolved by name under the "browser" condition; onnxruntime-web comes from the import map. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'browser', 'page-entry.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@recur/source'],
    external: ['onnxruntime-web/wasm'],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** onnxruntime-web's wasm build exactly as the package ships it, for `env.wasm.wasmPaths = '/ort/'`. */
function onnxRuntimeWebFiles(): [string, ServedFile][] {
  const distFolder = dirname(createRequire(import.meta.url).resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  return [
    ['ort.wasm.min.mjs', 'text/javascript'],
    ['ort-wasm-simd-threaded.mjs', 'text/javascript'],
    ['ort-wasm-simd-threaded.wasm', 'application/wasm'],
  ].map(([name, contentType]) => [`/ort/${name}`, { body: readFileSync(join(distFolder, name)), contentType }]);
}

const PAGE = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <script type="importmap">{ "imports": { "onnxruntime-web/wasm": "/ort/ort.wasm.min.mjs" } }</script>
    <script type="module" src="/page.js"></script>
  </head>
  <body></body>
</html>`;

describe('in headless Chromium with onnxruntime-web', () => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') {
      it('finds Chromium', () => {
        throw new Error(`CI=true but ${CHROMIUM} is missing: .ci/run installs the Debian package 'chromium' before the tests; check that step's output.`);
      });
    } else {
      const reason = `skipped: ${CHROMIUM} is absent here (apt-get install chromium to run the browser test)`;
      console.warn(`browser test ${reason}`);
      it.skip(reason, () => {});
    }
    return;
  }

  const expected = new Map<string, Expected>();
  const pageProblems: string[] = [];
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    const files = new Map<string, ServedFile>([
      ['/', { body: PAGE, contentType: 'text/html' }],
      ['/page.js', { body: await bundlePage(), contentType: 'text/javascript' }],
      ...onnxRuntimeWebFiles(),
    ]);
    for (const [k, modelCase] of MODEL_CASES.entries()) {
      const model = await modelCase.create();
      const modelUrl = `/models/${k}.onnx`;
      files.set(modelUrl, { body: exportOnnx(model, { exposeState: true }), contentType: 'application/octet-stream' });
      const dtype = model.layers[0].inputDtype === 'int32' ? 'int32' : 'float32';
      expected.set(modelCase.name, {
        request: { modelUrl, dtype, x: plain(modelCase.x), steps: modelCase.steps?.map(plain) ?? null },
        predict: model.predict(modelCase.x),
        steps: referenceSteps(model, modelCase.steps),
      });
    }
    server = await startTestServer(files);
    profile = mkdtempSync(join(tmpdir(), 'recur-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageProblems.push(`console: ${message.text()}`);
    });
    page.on('requestfailed', (request) => pageProblems.push(`request failed: ${request.url()}`));
    await page.goto(`${server.url}/`);
    try {
      await page.waitForFunction(() => 'runRecurModel' in globalThis, undefined, { timeout: 30_000 });
    } catch (error) {
      throw new Error(`The test page did not load: ${(error as Error).message}\n${pageProblems.join('\n')}`);
    }
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  for (const modelCase of MODEL_CASES) {
    it(`${modelCase.name}: predict${modelCase.steps === null ? '' : ' and stream steps'}`, async () => {
      const { request, predict, steps } = expected.get(modelCase.name)!;
      let result: PageRunResult;
      try {
        result = await page.evaluate((pageRequest) => (globalThis as unknown as { runRecurModel(r: PageRunRequest): Promise<PageRunResult> }).runRecurModel(pageRequest), request);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${pageProblems.join('\n')}`);
      }
      expect(result.backendName).toBe('onnxruntime-web');
      expectClose(fromPlain(result.predict), predict);
      expect(result.steps.length).toBe(steps.length);
      result.steps.forEach((output, k) => expectClose(fromPlain(output), steps[k]));
    });
  }
});
