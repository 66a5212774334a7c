import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dense, LSTM, Sequential, ops, valueAndGradients } from '@recur/core';
import { tfjsBackend } from '../src/index.js';
import { TFJS_BACKENDS, tf, useTfjsBackend } from './tfjs-setup.js';

/**
 * A long training run or a generation loop must not grow memory: after a warm-up, both core's
 * count of live tensors and tfjs's own count stay exactly where they were.
 */

const TRAINING_STEPS = 300;
const GENERATION_STEPS = 3000;

function counts(model: Sequential): { recur: number; tfjs: number } {
  return { recur: model.engine.liveTensors, tfjs: tf.memory().numTensors };
}

for (const tfjsName of TFJS_BACKENDS) {
  describe(`memory on tfjs ${tfjsName}`, () => {
    beforeAll(() => useTfjsBackend(tfjsName));

    for (const useFusedKernel of [true, false])
      it(`stays flat over ${TRAINING_STEPS} training steps (forward, gradients, SGD update; ${useFusedKernel ? 'fused' : 'composite'} LSTM)`, () => {
        const tfjsBefore = tf.memory().numTensors;
        const model = new Sequential([
          new LSTM({ units: 8, inputShape: [5, 3], useFusedKernel }),
          new Dense({ units: 2 }),
        ]).build({
          backend: tfjsBackend({ tf }),
          seed: 7,
        });
        const engine = model.engine;
        const x = engine.tensor(
          Float32Array.from({ length: 4 * 5 * 3 }, (_, k) => Math.sin(k)),
          [4, 5, 3],
        );
        const y = engine.tensor(
          Float32Array.from({ length: 4 * 2 }, (_, k) => Math.cos(k)),
          [4, 2],
        );
        const variables = model.trainableWeights;
        const trainStep = (): number =>
          engine.tidy(() => {
            const { value, grads } = valueAndGradients(
              engine,
              () => ops.mean(ops.square(ops.sub(model.forward(x, { training: true }).output, y))),
              variables.map((variable) => variable.value),
            );
            variables.forEach((variable, k) => variable.assign(ops.sub(variable.value, ops.mul(grads[k], 0.05))));
            return value.item();
          });
        const firstLoss = trainStep();
        const before = counts(model);
        let lastLoss = firstLoss;
        for (let step = 1; step < TRAINING_STEPS; step++) lastLoss = trainStep();
        expect(counts(model)).toEqual(before);
        // The steps really trained: plain gradient descent on a fixed batch lowers the loss.
        expect(lastLoss).toBeLessThan(firstLoss);
        x.dispose();
        y.dispose();
        model.dispose();
        expect(engine.liveTensors).toBe(0);
        expect(tf.memory().numTensors).toBe(tfjsBefore);
      });

    it(`stays flat over ${GENERATION_STEPS} single-step calls carrying state`, () => {
      const tfjsBefore = tf.memory().numTensors;
      const model = new Sequential([new LSTM({ units: 16, inputShape: [1, 4] })]).build({
        backend: tfjsBackend({ tf }),
        seed: 3,
      });
      const engine = model.engine;
      const layer = model.layers[0] as LSTM;
      let state = [engine.zeros([1, 16]), engine.zeros([1, 16])];
      const step = (k: number): void => {
        const next = engine.tidy(() => {
          const x = engine.tensor([Math.sin(k), Math.cos(k), 0.5, -0.5], [1, 1, 4]);
          return layer.run(x, { initialState: state }).states;
        });
        for (const tensor of state) tensor.dispose();
        state = next;
      };
      step(0);
      const before = counts(model);
      for (let k = 1; k < GENERATION_STEPS; k++) step(k);
      expect(counts(model)).toEqual(before);
      for (const tensor of state) tensor.dispose();
      model.dispose();
      expect(engine.liveTensors).toBe(0);
      expect(tf.memory().numTensors).toBe(tfjsBefore);
    });
  });
}

afterAll(() => useTfjsBackend('cpu'));
