import type { ModelStream, StreamState } from '../backend/graph-backend.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import type { DataLike, TensorData } from '../data/tensor-data.js';
import { Bidirectional } from '../layers/recurrent/bidirectional.js';
import { RNN } from '../layers/recurrent/rnn.js';
import { expandDims } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Sequential } from './sequential.js';

/**
 * Runs a model one time step at a time, carrying every recurrent layer's state from call to
 * call: step k's output equals the output of running the first k steps as one sequence. This is
 * the loop of text generation (one step per generated symbol) and of live signals.
 *
 * A step's input is one time step of a batch: `[N, ...features]` (token ids `[N]` for models that
 * start with an Embedding). Padding steps (id 0 with `maskZero`, or Masking's value) are skipped
 * as in the whole sequence: the state is carried and the output is zero. Layers that need the
 * whole sequence (Bidirectional, go-backwards RNNs) cannot stream. It is core's `ModelStream`,
 * answering synchronously: `getState()` / `setState()` save and resume the carried state.
 *
 * @example
 * const stream = new SequenceStream(model);
 * for (const id of prompt) probabilities = stream.step([[id]]);
 * const saved = stream.getState();
 * stream.reset();
 */
export class SequenceStream implements ModelStream {
  private readonly states = new Map<RNN, Tensor[]>();

  constructor(readonly model: Sequential) {
    for (const layer of model.layers) {
      if (layer instanceof Bidirectional || (layer instanceof RNN && layer.goBackwards)) {
        throw new ValueError(
          `Layer '${layer.name}' (${layer.kind}) needs the whole sequence and cannot run step by step.`,
        );
      }
    }
  }

  /** Feeds one time step; returns the model's output for it (host data). */
  step(input: DataLike): TensorData {
    const engine = this.model.engine;
    const stepShape = this.model.inputShape.filter((_, axis) => axis !== 1);
    const { output, states } = engine.tidy(() => {
      const raw = this.model.inputTensor(input, 'step input');
      if (raw.rank !== stepShape.length || stepShape.some((d, k) => d !== null && d !== raw.shape[k])) {
        throw new ShapeError(
          `A step of model '${this.model.name}' has shape ${formatShape(stepShape)} (one time step of a batch), got ${formatShape(raw.shape)}.`,
        );
      }
      let value = expandDims(raw, 1);
      let mask: Tensor | null = null;
      const next = new Map<RNN, Tensor[]>();
      for (const layer of this.model.layers) {
        const input = value;
        if (layer instanceof RNN) {
          const previous = this.states.get(layer);
          const batch = value.shape[0];
          if (previous !== undefined && previous[0].shape[0] !== batch) {
            throw new ShapeError(
              `The stream carries state for a batch of ${previous[0].shape[0]}, but this step has a batch of ${batch}: call reset() first.`,
            );
          }
          // A padding step (mask 0) is skipped, as in the whole sequence: the state is carried.
          const result = layer.run(value, { initialState: previous, mask });
          next.set(layer, result.states);
          value = result.output;
        } else {
          value = layer.call(value, { training: false, mask, random: this.model.random });
        }
        mask = layer.computeMask(input, mask);
      }
      return { output: value, states: [...next.entries()].map(([layer, tensors]) => ({ layer, tensors })) };
    });
    for (const { layer, tensors } of states) {
      for (const old of this.states.get(layer) ?? []) old.dispose();
      this.states.set(layer, tensors);
    }
    // A recurrent layer with returnSequences leaves a time axis of 1 in the output: drop it.
    const values = output.read();
    const shape =
      output.rank >= 3 && output.shape[1] === 1 ? [output.shape[0], ...output.shape.slice(2)] : [...output.shape];
    // A model ending in a recurrent layer returns its carried h itself: keep that one alive.
    if (!states.some(({ tensors }) => tensors.includes(output))) output.dispose();
    return { shape, values };
  }

  /** Forgets the carried state: the next step starts from zeros. */
  reset(): void {
    for (const tensors of this.states.values()) for (const tensor of tensors) tensor.dispose();
    this.states.clear();
  }

  /** The carried state by layer name (host copies), or null before the first step and after reset(). */
  getState(): StreamState | null {
    if (this.states.size === 0) return null;
    const state: Record<string, TensorData[]> = {};
    for (const [layer, tensors] of this.states)
      state[layer.name] = tensors.map((tensor) => ({
        shape: [...tensor.shape],
        values: Float32Array.from(tensor.read()),
      }));
    return state;
  }

  /**
   * Carries `state` (as `getState()` gives it, from this stream or another backend's) into the
   * next step. Every recurrent layer must be named, with its states `[batch, units]`.
   */
  setState(state: StreamState): void {
    const layers = this.model.layers.filter((layer): layer is RNN => layer instanceof RNN);
    const unknown = Object.keys(state).filter((name) => !layers.some((layer) => layer.name === name));
    if (unknown.length > 0) {
      const names = (list: readonly string[]): string => list.map((name) => `'${name}'`).join(', ');
      throw new ShapeError(
        `The state names ${names(unknown)}, not a recurrent layer of model '${this.model.name}' (its recurrent layers: ${names(layers.map((layer) => layer.name))}).`,
      );
    }
    const batch = state[layers[0]?.name]?.[0]?.shape[0];
    for (const layer of layers) checkLayerState(layer, state[layer.name], batch);
    this.reset();
    const engine = this.model.engine;
    for (const layer of layers)
      this.states.set(
        layer,
        state[layer.name].map((data) => engine.tensor(Float32Array.from(data.values), data.shape)),
      );
  }
}

/** Refuses a layer's state unless it is `stateCount` tensors `[batch, units]`, with the layer and both shapes named. */
function checkLayerState(layer: RNN, tensors: readonly TensorData[] | undefined, batch: number | undefined): void {
  const expected = `${layer.cell.stateCount} state(s) of shape [${batch ?? 'batch'}, ${layer.units}]`;
  if (tensors === undefined || tensors.length !== layer.cell.stateCount) {
    throw new ShapeError(
      `Layer '${layer.name}' (${layer.kind}) carries ${expected}; the state gives ${tensors === undefined ? 'none' : tensors.length}.`,
    );
  }
  for (const tensor of tensors) {
    const shapeFits =
      tensor.shape.length === 2 &&
      tensor.shape[0] === batch &&
      tensor.shape[1] === layer.units &&
      tensor.values.length === batch * layer.units;
    if (!shapeFits)
      throw new ShapeError(
        `Layer '${layer.name}' (${layer.kind}) carries ${expected}; the state gives ${formatShape(tensor.shape)}.`,
      );
  }
}
