import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runRecur, scratchFolder } from './run-recur.js';

/** Saves a tfjs Layers model as model.json + weights.bin, the files tfjs's file:// saver writes. */
async function saveTfjsModel(model: tf.LayersModel, folder: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData as ArrayBuffer;
      writeFileSync(join(folder, 'weights.bin'), Buffer.from(weightData));
      writeFileSync(
        join(folder, 'model.json'),
        JSON.stringify({
          format: 'layers-model',
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

describe('other backends and formats', () => {
  it('trains on the TensorFlow.js backend to the numbers of backend-ts', async () => {
    const folder = scratchFolder();
    const onTs = JSON.parse(
      (await runRecur(['train', 'text-model.yaml', '--out', join(folder, 'ts'), '--json'])).stdout,
    );
    const run = await runRecur([
      'train',
      'text-model.yaml',
      '--out',
      join(folder, 'tfjs'),
      '--backend',
      'tfjs-cpu',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const onTfjs = JSON.parse(run.stdout);
    onTfjs.record.epochs.forEach((logs: Record<string, number>, epoch: number) => {
      expect(Math.abs(logs.val_loss - onTs.record.epochs[epoch].val_loss)).toBeLessThan(
        1e-4 * Math.abs(onTs.record.epochs[epoch].val_loss) + 1e-5,
      );
    });
  });

  it('imports a TensorFlow.js Layers model.json and predicts what TensorFlow.js predicts', async () => {
    const folder = scratchFolder();
    await tf.setBackend('cpu');
    const model = tf.sequential({
      layers: [
        tf.layers.lstm({ units: 5, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [4, 3] }),
        tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid', resetAfter: false } as never),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    await saveTfjsModel(model, folder);
    const input = Array.from({ length: 2 }, (_, n) =>
      Array.from({ length: 4 }, (_, t) => Array.from({ length: 3 }, (_, f) => Math.sin(n + 2 * t + 3 * f))),
    );
    const expected = (model.predict(tf.tensor3d(input)) as tf.Tensor).arraySync() as number[][];
    const imported = join(folder, 'imported');
    const run = await runRecur(['import', join(folder, 'model.json'), '--out', imported]);
    expect(run.code).toBe(0);
    writeFileSync(join(folder, 'input.json'), JSON.stringify(input));
    const predicted = await runRecur(['predict', imported, '--input', join(folder, 'input.json')]);
    expect(predicted.code).toBe(0);
    const { shape, output } = JSON.parse(predicted.stdout);
    expect(shape).toEqual([2, 2]);
    output.forEach((row: number[], n: number) =>
      row.forEach((value, k) => expect(Math.abs(value - expected[n][k])).toBeLessThan(1e-5)),
    );
  });

  it("refuses tfjs's hard sigmoid, which is not Recur's", async () => {
    const folder = scratchFolder();
    await saveTfjsModel(
      tf.sequential({ layers: [tf.layers.lstm({ units: 2, inputShape: [3, 1] }), tf.layers.dense({ units: 1 })] }),
      folder,
    );
    const run = await runRecur(['import', join(folder, 'model.json'), '--out', join(folder, 'imported')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /recurrent_activation 'hard_sigmoid', which in TensorFlow.js and Keras 2 is 0.2x \+ 0.5/,
    );
  });
});
