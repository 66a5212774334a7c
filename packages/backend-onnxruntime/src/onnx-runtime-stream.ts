import {
  ShapeError,
  formatShape,
  type DataLike,
  type ModelStream,
  type StreamState,
  type TensorData,
} from '@recur/core';
import type { StateSlot } from './graph-signature.js';
import type { OnnxRuntimeModel } from './onnx-runtime-model.js';
import { toGraphInput } from './to-graph-input.js';

/**
 * Step-by-step inference on ONNX Runtime with the semantics of core's `SequenceStream`: step k's
 * output equals the output of running the first k steps as one sequence. Each step feeds the
 * previous step's `state_out.*` back as `state_in.*`. Steps, resets and state reads and writes
 * run in call order even when a caller does not await each step, so the carried state is never
 * raced. The graph's state `[1, batch, units]` is a `StreamState` entry `[batch, units]`.
 *
 * @example
 * const stream = compiled.stream();
 * for (const id of prompt) probabilities = await stream.step([id]);
 * const saved = await stream.getState();
 * stream.reset();
 */
export class OnnxRuntimeStream implements ModelStream {
  private states: ReadonlyMap<string, TensorData> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly model: OnnxRuntimeModel) {}

  step(input: DataLike): Promise<TensorData> {
    // Checked now, so a bad input fails at the call that passed it.
    const feed = toGraphInput(input, this.model.signature, this.model.structure, 'step');
    return this.enqueue(async () => {
      const carried = this.states?.values().next().value;
      if (carried !== undefined && carried.shape[1] !== feed.shape[0]) {
        throw new ShapeError(
          `The stream carries state for a batch of ${carried.shape[1]}, but this step has a batch of ${feed.shape[0]}: call reset() first.`,
        );
      }
      const { output, states } = await this.model.run(feed, this.states);
      this.states = states;
      // A recurrent layer with returnSequences leaves a time axis of 1 in the output: drop it.
      const shape =
        output.shape.length >= 3 && output.shape[1] === 1 ? [output.shape[0], ...output.shape.slice(2)] : output.shape;
      return { shape, values: output.values };
    });
  }

  reset(): void {
    void this.enqueue(async () => {
      this.states = null;
    });
  }

  getState(): Promise<StreamState | null> {
    return this.enqueue(async () => {
      const carried = this.states;
      if (carried === null) return null;
      const state: Record<string, TensorData[]> = {};
      for (const slot of this.model.signature.states) {
        const data = carried.get(slot.input)!;
        state[slot.layer] ??= [];
        state[slot.layer][slot.index] = { shape: data.shape.slice(1), values: Float32Array.from(data.values) };
      }
      return state;
    });
  }

  setState(state: StreamState): void {
    // Checked now, so a misshaped state fails at the call that passed it.
    const states = toGraphStates(state, this.model.signature.states);
    void this.enqueue(async () => {
      this.states = states;
    });
  }

  /** Runs `task` after every call made before it; a failed call does not stop the ones after. */
  private enqueue<Result>(task: () => Promise<Result>): Promise<Result> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** A `StreamState` as the graph's state feeds `[1, batch, units]` by input name, checked against the graph's slots. */
function toGraphStates(state: StreamState, slots: readonly StateSlot[]): ReadonlyMap<string, TensorData> {
  const layers = [...new Set(slots.map((slot) => slot.layer))];
  const unknown = Object.keys(state).filter((name) => !layers.includes(name));
  if (unknown.length > 0) {
    const names = (list: readonly string[]): string => list.map((name) => `'${name}'`).join(', ');
    throw new ShapeError(
      `The state names ${names(unknown)}, not a recurrent layer whose state this graph carries (its recurrent layers: ${names(layers)}).`,
    );
  }
  const batch = state[layers[0]]?.[0]?.shape[0];
  const states = new Map<string, TensorData>();
  for (const layer of layers) {
    const layerSlots = slots.filter((slot) => slot.layer === layer);
    const units = layerSlots[0].units;
    const expected = `${layerSlots.length} state(s) of shape [${batch ?? 'batch'}, ${units}]`;
    const tensors = state[layer];
    if (tensors === undefined || tensors.length !== layerSlots.length) {
      throw new ShapeError(
        `Layer '${layer}' carries ${expected}; the state gives ${tensors === undefined ? 'none' : tensors.length}.`,
      );
    }
    for (const slot of layerSlots) {
      const tensor = tensors[slot.index];
      const shapeFits =
        tensor.shape.length === 2 &&
        tensor.shape[0] === batch &&
        tensor.shape[1] === slot.units &&
        tensor.values.length === batch * slot.units;
      if (!shapeFits)
        throw new ShapeError(`Layer '${layer}' carries ${expected}; the state gives ${formatShape(tensor.shape)}.`);
      states.set(slot.input, { shape: [1, batch, slot.units], values: Float32Array.from(tensor.values) });
    }
  }
  return states;
}
