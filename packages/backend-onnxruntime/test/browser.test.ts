import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SequenceStream, type Sequential, type TensorData } from '@recur/core';
import {
  bundlePage,
  describeWithChromium,
  launchChromium,
  startStaticServer,
  type ChromiumPage,
  type ServedFile,
  type StaticServer,
} from '@recur/browser-test';
import { tsBackend } from '@recur/backend-ts';
import { graphModelCases } from '@recur/conformance';
import { exportOnnx } from '@recur/onnx';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PageRunRequest, PageRunResult, PlainTensor } from './browser/page-entry.js';
import { expectClose } from './expect-close.js';

/**
 * The browser story: a page bundled the way a user's bundler would bundle it loads models
 * exported in Node, runs them on onnxruntime-web (WebAssembly) in headless Chromium, and gets
 * backend-ts's numbers within 1e-5.
 */

const here = dirname(fileURLToPath(import.meta.url));
const MODEL_CASES = graphModelCases(tsBackend);

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

describeWithChromium('in headless Chromium with onnxruntime-web', () => {
  const expected = new Map<string, Expected>();
  let browser: ChromiumPage;
  let server: StaticServer;

  beforeAll(async () => {
    // The page bundle: the package resolved by name under the "browser" condition;
    // onnxruntime-web comes from the import map.
    const script = await bundlePage(join(here, 'browser', 'page-entry.ts'), { external: ['onnxruntime-web/wasm'] });
    const files = new Map<string, ServedFile>([
      ['/', { body: PAGE, contentType: 'text/html' }],
      ['/page.js', { body: script, contentType: 'text/javascript' }],
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
    server = await startStaticServer(files);
    browser = await launchChromium();
    await browser.open(`${server.url}/`, 'runRecurModel');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const modelCase of MODEL_CASES) {
    it(`${modelCase.name}: predict${modelCase.steps === null ? '' : ' and stream steps'}`, async () => {
      const { request, predict, steps } = expected.get(modelCase.name)!;
      const result = await browser.call<PageRunResult>('runRecurModel', request);
      expect(result.backendName).toBe('onnxruntime-web');
      expectClose(fromPlain(result.predict), predict);
      expect(result.steps.length).toBe(steps.length);
      result.steps.forEach((output, k) => expectClose(fromPlain(output), steps[k]));
    });
  }
});
