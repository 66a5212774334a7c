import { ShapeError, type DataLike, type TensorData } from '@recur/core';
import type { ModelStream } from './graph-backend.js';
import type { OnnxRuntimeModel } from './onnx-runtime-model.js';
import { toGraphInput } from './to-graph-input.js';

/**
 * Step-by-step inference on ONNX Runtime with the semantics of core's `SequenceStream`: step k's
 * output equals the output of running the first k steps as one sequence. Each step feeds the
 * previous step's `state_out.*` back as `state_in.*`. Steps and resets run in call order even
 * when a caller does not await each step, so the carried state is never raced.
 *
 * @example
 * const stream = compiled.stream();
 * for (const id of prompt) probabilities = await stream.step([id]);
 * stream.reset();
 */
export class OnnxRuntimeStream implements ModelStream {
  private states: ReadonlyMap<string, TensorData> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly model: OnnxRuntimeModel) {}

  step(input: DataLike): Promise<TensorData> {
    // Checked now, so a bad input fails at the call that passed it.
    const feed = toGraphInput(input, this.model.signature, this.model.structure, 'step');
    const result = this.queue.then(async () => {
      const carried = this.states?.values().next().value;
      if (carried !== undefined && carried.shape[1] !== feed.shape[0]) {
        throw new ShapeError(`The stream carries state for a batch of ${carried.shape[1]}, but this step has a batch of ${feed.shape[0]}: call reset() first.`);
      }
      const { output, states } = await this.model.run(feed, this.states);
      this.states = states;
      // A recurrent layer with returnSequences leaves a time axis of 1 in the output: drop it.
      const shape = output.shape.length >= 3 && output.shape[1] === 1 ? [output.shape[0], ...output.shape.slice(2)] : output.shape;
      return { shape, values: output.values };
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  reset(): void {
    this.queue = this.queue.then(() => {
      this.states = null;
    });
  }
}
