import type { TensorData } from '@recur/core';
import type { StepStream } from './inference-model.js';

/**
 * Step-by-step runs for graphs that cannot carry their state (exported with `--no-expose-state`,
 * or with a layer that needs the whole sequence): every step runs the whole sequence so far
 * through `predict` and returns its last time step. Slower than a real stream, same outputs.
 *
 * @example
 * const stream = replayStream((x) => compiled.predict(x));
 * const probabilities = await stream.step({ shape: [1], values: Int32Array.of(7) });
 */
export function replayStream(predict: (x: TensorData) => Promise<TensorData>): StepStream {
  let steps: TensorData[] = [];
  return {
    async step(input) {
      steps.push(input);
      const batch = input.shape[0];
      const stepSize = input.values.length / batch;
      const values = new (input.values.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(batch * steps.length * stepSize);
      steps.forEach((step, t) => {
        for (let n = 0; n < batch; n++) values.set(step.values.subarray(n * stepSize, (n + 1) * stepSize), (n * steps.length + t) * stepSize);
      });
      const output = await predict({ shape: [batch, steps.length, ...input.shape.slice(1)], values });
      return output.shape.length >= 3 ? lastStep(output) : output;
    },
    reset: () => {
      steps = [];
    },
  };
}

/** `[N, T, ...]` -> `[N, ...]` at t = T - 1 (a layer returning sequences). */
function lastStep(output: TensorData): TensorData {
  const [batch, time] = output.shape;
  const size = output.values.length / (batch * time);
  const values = new Float32Array(batch * size);
  for (let n = 0; n < batch; n++) values.set(output.values.subarray((n * time + time - 1) * size, (n * time + time) * size), n * size);
  return { shape: [batch, ...output.shape.slice(2)], values };
}
