import { SequenceStream, type GraphBackend, type TensorData } from '@recur/core';
import { expect, it } from 'vitest';
import { assertTensorClose } from './assert-tensor-close.js';
import type { GraphModelCase } from './graph-model-cases.js';

/**
 * Every model case, built on the reference KernelBackend and compiled on the graph backend:
 * `predict` gives `Sequential.predict`'s numbers, each stream step gives core's
 * `SequenceStream`'s, again after `reset()`; a model that needs whole sequences refuses to stream.
 */
export function registerGraphParityCases(
  createBackend: () => GraphBackend,
  modelCases: readonly GraphModelCase[],
): void {
  for (const modelCase of modelCases) {
    it(`${modelCase.name}: predict`, async () => {
      const model = await modelCase.create();
      const compiled = await createBackend().compile(model);
      assertTensorClose('predict', await compiled.predict(modelCase.x), model.predict(modelCase.x));
      await compiled.dispose();
    });

    const steps = modelCase.steps;
    if (steps === null) {
      it(`${modelCase.name}: is not streamable, and stream() says so`, async () => {
        const compiled = await createBackend().compile(await modelCase.create());
        expect(compiled.streamable).toBe(false);
        expect(() => compiled.stream()).toThrow(/whole sequence/);
        await compiled.dispose();
      });
      continue;
    }
    it(`${modelCase.name}: step by step, then again after reset()`, async () => {
      const model = await modelCase.create();
      const reference = new SequenceStream(model);
      const expected = steps.map((step) => reference.step(step));
      const compiled = await createBackend().compile(model);
      expect(compiled.streamable).toBe(true);
      const stream = compiled.stream();
      const run = async (): Promise<TensorData[]> => {
        const outputs: TensorData[] = [];
        for (const step of steps) outputs.push(await stream.step(step));
        return outputs;
      };
      const first = await run();
      stream.reset();
      const second = await run();
      first.forEach((output, k) => assertTensorClose(`step ${k}`, output, expected[k]));
      second.forEach((output, k) => assertTensorClose(`step ${k} after reset()`, output, expected[k]));
      await compiled.dispose();
    });
  }
}
