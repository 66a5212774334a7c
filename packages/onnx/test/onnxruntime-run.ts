import { InferenceSession, Tensor } from 'onnxruntime-node';
import { RandomGenerator, Sequential, type Layer, type TensorData } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';
import { expect } from 'vitest';
import { exportOnnx, type ExportOnnxOptions } from '../src/index.js';

export interface Feed {
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array;
}

/** Runs ONNX bytes in onnxruntime-node (CPU) and returns every graph output. */
export async function runOnnxRuntime(
  bytes: Uint8Array,
  feeds: Record<string, Feed>,
): Promise<Record<string, TensorData>> {
  const session = await InferenceSession.create(bytes);
  const inputs: Record<string, Tensor> = {};
  for (const [name, feed] of Object.entries(feeds)) {
    inputs[name] = new Tensor(feed.values instanceof Int32Array ? 'int32' : 'float32', feed.values, [...feed.shape]);
  }
  const results = await session.run(inputs);
  const outputs: Record<string, TensorData> = {};
  for (const [name, tensor] of Object.entries(results)) {
    outputs[name] = { shape: [...tensor.dims], values: Float32Array.from(tensor.data as Float32Array) };
  }
  await session.release();
  return outputs;
}

/** Replaces every weight with uniform values in [-0.5, 0.5), so biases are not zero either. */
export function randomizeWeights(model: Sequential, seed: number): void {
  const random = new RandomGenerator(seed);
  const weights = new Map<string, TensorData>();
  for (const [name, data] of model.getWeights()) {
    weights.set(name, { shape: data.shape, values: Float32Array.from(data.values, () => random.uniform() - 0.5) });
  }
  model.setWeights(weights);
}

/** Builds a model on backend-ts with random weights (biases included). */
export function buildModel(layers: Layer[], seed: number): Sequential {
  const model = new Sequential(layers);
  model.build({ backend: tsBackend(), seed });
  randomizeWeights(model, seed + 1);
  return model;
}

/** Recur's predict against ONNX Runtime running the exported file. */
export async function expectOnnxRuntimeMatches(
  model: Sequential,
  input: Feed,
  options: ExportOnnxOptions = {},
): Promise<void> {
  const expected = model.predict({ shape: input.shape, values: input.values });
  const { output } = await runOnnxRuntime(exportOnnx(model, options), { input });
  expectClose(output, expected);
}

/** Post-padded token ids: row n has `lengths[n]` ids in [1, vocabulary) then zeros. */
export function paddedIds(lengths: readonly number[], steps: number, vocabulary: number): Feed {
  const values = new Int32Array(lengths.length * steps);
  lengths.forEach((length, n) => {
    for (let t = 0; t < length; t++) values[n * steps + t] = 1 + ((n * 7 + t * 3) % (vocabulary - 1));
  });
  return { shape: [lengths.length, steps], values };
}

export function randomFloats(shape: readonly number[], seed: number): Feed {
  const random = new RandomGenerator(seed);
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return { shape, values: Float32Array.from({ length: size }, () => 2 * random.uniform() - 1) };
}

/** Same shape, and every value within `tolerance` (float32 forward: 1e-5). */
export function expectClose(actual: TensorData, expected: TensorData, tolerance = 1e-5): void {
  expect([...actual.shape]).toEqual([...expected.shape]);
  let worst = 0;
  for (let k = 0; k < expected.values.length; k++)
    worst = Math.max(worst, Math.abs(actual.values[k] - expected.values[k]));
  expect(worst).toBeLessThanOrEqual(tolerance);
}
