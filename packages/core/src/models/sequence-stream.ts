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
 * whole sequence (Bidirectional, go-backwards RNNs) cannot stream.
 *
 * @example
 * const stream = new SequenceStream(model);
 * for (const id of prompt) probabilities = stream.step([[id]]);
 * stream.reset();
 */
export class SequenceStream {
  private readonly states = new Map<RNN, Tensor[]>();

  constructor(readonly model: Sequential) {
    for (const layer of model.layers) {
      if (layer instanceof Bidirectional || (layer instanceof RNN && layer.goBackwards)) {
        throw new ValueError(`Layer '${layer.name}' (${layer.kind}) needs the whole sequence and cannot run step by step.`);
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
        throw new ShapeError(`A step of model '${this.model.name}' has shape ${formatShape(stepShape)} (one time step of a batch), got ${formatShape(raw.shape)}.`);
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
            throw new ShapeError(`The stream carries state for a batch of ${previous[0].shape[0]}, but this step has a batch of ${batch}: call reset() first.`);
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
    const shape = output.rank >= 3 && output.shape[1] === 1 ? [output.shape[0], ...output.shape.slice(2)] : [...output.shape];
    // A model ending in a recurrent layer returns its carried h itself: keep that one alive.
    if (!states.some(({ tensors }) => tensors.includes(output))) output.dispose();
    return { shape, values };
  }

  /** Forgets the carried state: the next step starts from zeros. */
  reset(): void {
    for (const tensors of this.states.values()) for (const tensor of tensors) tensor.dispose();
    this.states.clear();
  }
}
