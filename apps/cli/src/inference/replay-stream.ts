import { toTensorData, type DType, type ModelStream, type TensorData } from '@recur/core';
import { CliError } from '../cli-error.js';

/**
 * Step-by-step runs for graphs that cannot carry their state (exported with `--no-expose-state`,
 * or with a layer that needs the whole sequence): every step runs the whole sequence so far
 * through `predict` and returns its last time step. Slower than a real stream, same outputs.
 * Having no recurrent state to hand out, it refuses `getState` and `setState` and says why.
 *
 * @example
 * const stream = replayStream((x) => compiled.predict(x), 'int32');
 * const probabilities = await stream.step({ shape: [1], values: Int32Array.of(7) });
 */
export function replayStream(predict: (x: TensorData) => Promise<TensorData>, dtype: DType): ModelStream {
  let steps: TensorData[] = [];
  return {
    async step(stepInput) {
      const input = toTensorData(stepInput, dtype, 'step input');
      steps.push(input);
      const batch = input.shape[0];
      const stepSize = input.values.length / batch;
      const values = new (input.values.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(
        batch * steps.length * stepSize,
      );
      steps.forEach((step, t) => {
        for (let n = 0; n < batch; n++)
          values.set(step.values.subarray(n * stepSize, (n + 1) * stepSize), (n * steps.length + t) * stepSize);
      });
      const output = await predict({ shape: [batch, steps.length, ...input.shape.slice(1)], values });
      return output.shape.length >= 3 ? lastStep(output) : output;
    },
    reset: () => {
      steps = [];
    },
    getState: () => refuseState(),
    setState: () => refuseState(),
  };
}

/** A replayed graph has no state inputs or outputs, so there is nothing to read or set. */
function refuseState(): never {
  throw new CliError(
    'This ONNX graph does not carry its recurrent state (it was exported without state, or a layer needs the whole sequence), so its state cannot be read or set: export it again with its state exposed.',
  );
}

/** `[N, T, ...]` -> `[N, ...]` at t = T - 1 (a layer returning sequences). */
function lastStep(output: TensorData): TensorData {
  const [batch, time] = output.shape;
  const size = output.values.length / (batch * time);
  const values = new Float32Array(batch * size);
  for (let n = 0; n < batch; n++)
    values.set(output.values.subarray((n * time + time - 1) * size, (n * time + time) * size), n * size);
  return { shape: [batch, ...output.shape.slice(2)], values };
}
