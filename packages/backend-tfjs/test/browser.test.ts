import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bundlePage,
  describeWithChromium,
  launchChromium,
  startStaticServer,
  type StaticServer,
} from '@recur/browser-test';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tfjsBackend } from '../src/index.js';
import type { PageTrainingResult } from './browser/page-entry.js';
import { TRAINING_STEPS, trainSmallModel, type TrainingRun } from './browser/training-run.js';
import { tf, useTfjsBackend } from './tfjs-setup.js';

/**
 * The browser story: a page bundling @tensorflow/tfjs and Recur trains a small Embedding + LSTM
 * classifier for a few steps in headless Chromium, on tfjs webgl when the browser offers WebGL
 * and on tfjs cpu, with a message saying why, when it does not. Either way its losses and
 * predictions are those of the same run in Node on tfjs cpu.
 *
 * Headless Chromium with --disable-gpu still offers WebGL: ANGLE on SwiftShader, Chromium's CPU
 * implementation of the GPU, which renders to float32 textures. Adding
 * --disable-software-rasterizer takes that away too, which is what a browser without a GPU
 * looks like to the page.
 *
 * Tolerance, both ways 1e-5 (Recur's cross-backend bound). On tfjs cpu the page runs the very
 * kernels Node runs. On webgl with float32 textures every kernel is still IEEE float32 math;
 * only the summation order in shaders and the GPU's exp/tanh differ, each by a few ulps
 * (about 1e-7 relative), and ten Adam steps on this model keep that far below 1e-5 (SwiftShader
 * measured at most 2e-7). float16 textures (about 3 decimal digits) could not meet any float32
 * bound, so the webgl case insists on float32 rendering.
 */

const TOLERANCE = 1e-5;
const here = dirname(fileURLToPath(import.meta.url));

const PAGE = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <script type="module" src="/page.js"></script>
  </head>
  <body></body>
</html>`;

function expectWithin(actual: readonly number[], expected: readonly number[], what: string): void {
  expect(actual.length, `${what}: count`).toBe(expected.length);
  let worst = 0;
  actual.forEach((value, k) => (worst = Math.max(worst, Math.abs(value - expected[k]))));
  expect(worst, `${what}: largest difference from Node tfjs cpu`).toBeLessThanOrEqual(TOLERANCE);
}

/** What holds for any training run in the page, then its parity with Node's run. */
function expectTrainedLike(result: PageTrainingResult, reference: TrainingRun): void {
  expect(result.backendName).toBe(`tfjs-${result.tfjsBackend}`);
  expect(result.losses.length).toBe(TRAINING_STEPS);
  expect(result.losses.every(Number.isFinite), `losses: ${result.losses.join(', ')}`).toBe(true);
  expect(result.losses.at(-1)!).toBeLessThan(result.losses[0]);
  const [rows, classes] = result.predictions.shape;
  expect(result.predictions.shape).toEqual(reference.predictions.shape);
  expect(result.predictions.values.every(Number.isFinite)).toBe(true);
  for (let row = 0; row < rows; row++) {
    const probabilities = result.predictions.values.slice(row * classes, (row + 1) * classes);
    expect(
      Math.abs(probabilities.reduce((sum, p) => sum + p, 0) - 1),
      `softmax row ${row} sums to 1`,
    ).toBeLessThanOrEqual(1e-6);
  }
  expectWithin(result.losses, reference.losses, 'losses');
  expectWithin(result.predictions.values, reference.predictions.values, 'predictions');
}

describeWithChromium('training in headless Chromium on tfjs', () => {
  let reference: TrainingRun;
  let server: StaticServer;

  beforeAll(async () => {
    await useTfjsBackend('cpu');
    reference = await trainSmallModel(tfjsBackend({ tf }));
    const script = await bundlePage(join(here, 'browser', 'page-entry.ts'));
    server = await startStaticServer(
      new Map([
        ['/', { body: PAGE, contentType: 'text/html' }],
        ['/page.js', { body: script, contentType: 'text/javascript' }],
      ]),
    );
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  async function trainInChromium(extraFlags: readonly string[]): Promise<PageTrainingResult> {
    const browser = await launchChromium({ extraFlags });
    try {
      await browser.open(`${server.url}/`, 'trainInBrowser');
      const result = await browser.call<PageTrainingResult>('trainInBrowser');
      console.info(
        `Chromium ${extraFlags.join(' ') || '(default flags)'}: trained on tfjs ${result.tfjsBackend}` +
          (result.webglRenderer === null
            ? ''
            : `, renderer ${result.webglRenderer}, float32 textures ${result.webglFloat32}`) +
          `, losses ${result.losses[0].toFixed(4)} -> ${result.losses.at(-1)!.toFixed(4)}`,
      );
      return result;
    } finally {
      await browser.close();
    }
  }

  it('with the GPU disabled, trains on tfjs webgl through SwiftShader in float32, as Node trains on cpu', async () => {
    const result = await trainInChromium([]);
    expect(result.fallbackMessage, 'headless Chromium is expected to offer SwiftShader WebGL').toBeNull();
    expect(result.tfjsBackend).toBe('webgl');
    expect(result.webglFloat32, 'tfjs renders to float16 textures here, so numbers cannot match float32 cpu').toBe(
      true,
    );
    expectTrainedLike(result, reference);
  });

  it('without any WebGL, falls back to tfjs cpu, says why, and trains exactly as Node does', async () => {
    const result = await trainInChromium(['--disable-software-rasterizer']);
    expect(result.tfjsBackend).toBe('cpu');
    expect(result.webglRenderer).toBeNull();
    expect(result.fallbackMessage).toMatch(
      /^WebGL is not available in this browser: the browser created no WebGL context.*; trained on tfjs cpu instead\.$/,
    );
    expectTrainedLike(result, reference);
  });
});
