import { SequenceStream, type TensorData } from '@recur/core';
import { describe, it } from 'vitest';
import type { GraphBackend } from '../src/graph-backend.js';
import { expectClose } from './expect-close.js';
import { MODEL_CASES } from './model-cases.js';

/**
 * Every model case, built on backend-ts, compiled on `backend`: predict equals
 * Sequential.predict and each stream step equals core's SequenceStream, within 1e-5.
 */
export function describeRuntimeParity(runtime: string, createBackend: () => GraphBackend): void {
  describe(`${runtime} gives backend-ts's numbers`, () => {
    for (const modelCase of MODEL_CASES) {
      it(`${modelCase.name}: predict`, async () => {
        const model = await modelCase.create();
        const compiled = await createBackend().compile(model);
        expectClose(await compiled.predict(modelCase.x), model.predict(modelCase.x));
        await compiled.dispose();
      });

      const steps = modelCase.steps;
      if (steps === null) continue;
      it(`${modelCase.name}: step by step, then again after reset()`, async () => {
        const model = await modelCase.create();
        const reference = new SequenceStream(model);
        const expected = steps.map((step) => reference.step(step));
        const stream = (await createBackend().compile(model)).stream();
        const run = async (): Promise<TensorData[]> => {
          const outputs: TensorData[] = [];
          for (const step of steps) outputs.push(await stream.step(step));
          return outputs;
        };
        const first = await run();
        stream.reset();
        const second = await run();
        first.forEach((output, k) => expectClose(output, expected[k]));
        second.forEach((output, k) => expectClose(output, expected[k]));
      });
    }
  });
}
