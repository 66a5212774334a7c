// Bundled by esbuild for the browser test. The full @tensorflow/tfjs bundle registers its cpu
// and webgl backends (a side effect of that package, not of Recur's); Recur's packages are
// imported by name, as a user's bundler would see them.
import * as tf from '@tensorflow/tfjs';
import { tfjsBackend } from '@recur/backend-tfjs';
import { trainSmallModel, type TrainingRun } from './training-run.js';

export interface PageTrainingResult extends TrainingRun {
  /** The tfjs backend that was active while training: 'webgl', or 'cpu' after a fallback. */
  readonly tfjsBackend: string;
  /** Why training did not run on webgl, as a user of the page would be told; null on webgl. */
  readonly fallbackMessage: string | null;
  /** tfjs's WEBGL_RENDER_FLOAT32_ENABLED (float32 rather than float16 textures); null off webgl. */
  readonly webglFloat32: boolean | null;
  /** The WebGL renderer string (unmasked when the browser allows), or null without WebGL. */
  readonly webglRenderer: string | null;
}

/**
 * A WebGL context made the way tfjs makes its own (an OffscreenCanvas where there is one, else
 * a document canvas; WebGL 2, else 1), so its answer matches what tfjs met: the renderer, or the
 * browser's own reason why there is no context.
 */
function probeWebgl(): { renderer: string } | { problem: string } {
  const canvas =
    typeof OffscreenCanvas === 'undefined' ? document.createElement('canvas') : new OffscreenCanvas(300, 150);
  let statusMessage = '';
  canvas.addEventListener('webglcontextcreationerror', (event) => {
    statusMessage = (event as WebGLContextEvent).statusMessage;
  });
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (gl === null)
    return {
      problem:
        statusMessage === ''
          ? 'the browser created no WebGL context'
          : `the browser created no WebGL context (${statusMessage})`,
    };
  const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debugInfo === null ? gl.RENDERER : debugInfo.UNMASKED_RENDERER_WEBGL));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { renderer };
}

/** Selects tfjs webgl, or cpu with a message saying why webgl is not available. */
async function selectTfjsBackend(): Promise<string | null> {
  if (await tf.setBackend('webgl')) return null;
  const webgl = probeWebgl();
  const reason =
    'problem' in webgl
      ? webgl.problem
      : `tfjs could not initialise its webgl backend on ${webgl.renderer} (see the console)`;
  if (!(await tf.setBackend('cpu')))
    throw new Error(`Neither tfjs webgl nor tfjs cpu could be initialised: ${reason}.`);
  const message = `WebGL is not available in this browser: ${reason}; trained on tfjs cpu instead.`;
  console.warn(message);
  return message;
}

async function trainInBrowser(): Promise<PageTrainingResult> {
  const fallbackMessage = await selectTfjsBackend();
  await tf.ready();
  const tfjsBackendName = tf.getBackend();
  const run = await trainSmallModel(tfjsBackend({ tf }));
  const webgl = probeWebgl();
  return {
    ...run,
    tfjsBackend: tfjsBackendName,
    fallbackMessage,
    webglFloat32: tfjsBackendName === 'webgl' ? tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') : null,
    webglRenderer: 'renderer' in webgl ? webgl.renderer : null,
  };
}

Object.assign(globalThis, { trainInBrowser });
