import {
  Bidirectional,
  Engine,
  RandomGenerator,
  ops,
  valueAndGradients,
  type ActivationName,
  type FusedKernelChoice,
  type KernelBackend,
  type Layer,
  type RNN,
  type Tensor,
} from '@recur/core';
import { assignLayerWeights } from './assign-layer-weights.js';
import { float32Values, type KerasWeights, type ReferenceCell, type ReferenceTensor } from './read-reference-cell.js';
import type { RecurrentLayerFactory } from './recurrent-layer-factories.js';

/** A value computed by the stack next to the reference value it must match. */
export interface ComputedValue {
  readonly label: string;
  readonly got: Float32Array;
  readonly reference: ReferenceTensor;
}

export interface ReferenceCellRun {
  readonly loss: number;
  /** output, h_n (and c_n), in the reference layouts. */
  readonly forward: ComputedValue[];
  /** dL/dx, dL/dh0 (and dL/dc0), and dL/d every Keras weight. */
  readonly gradients: ComputedValue[];
}

const KERAS_WEIGHT_NAMES = ['kernel', 'recurrent_kernel', 'bias'] as const;

/**
 * Runs a reference cell through core layers: the stack of `num_layers` recurrent layers (each
 * wrapped in `Bidirectional` with concat merge when bidirectional; layer k >= 1 takes layer
 * k-1's output), weights from the `keras` block, initial state `h0[k*D + d]` (and `c0`), a mask
 * from `config.lengths`, and the loss `Σ output·G + Σ h_n·Gh (+ Σ c_n·Gc)`. Sequence-first
 * tensors are transposed inside the differentiated function, so every result comes back in
 * the reference's own layout.
 */
export function runReferenceCell(
  createBackend: () => KernelBackend,
  cell: ReferenceCell,
  factory: RecurrentLayerFactory,
  useFusedKernel: FusedKernelChoice,
): ReferenceCellRun {
  const { config, keras } = cell;
  const engine = new Engine(createBackend());
  const tensorOf = (reference: ReferenceTensor) => engine.tensor(float32Values(reference), reference.shape);
  const directions = config.bidirectional ? (['forward', 'backward'] as const) : (['forward'] as const);
  const [N, T, H] = [config.batch, config.seq_len, config.hidden_size];
  const states = factory.stateNames;

  return engine.tidy(() => {
    const x = tensorOf(cell.inputs.x);
    const initialStates = states.map((name) => tensorOf(cell.inputs[`${name}0`]));
    const upstreamOutput = tensorOf(cell.upstream_grads.output);
    const upstreamStates = states.map((name) => tensorOf(cell.upstream_grads[`${name}_n`]));
    const mask = config.lengths === null ? null : lengthMask(engine, config.lengths, T);

    const layers: Layer[] = [];
    const weights: { label: string; tensor: Tensor; reference: ReferenceTensor }[] = [];
    for (let k = 0; k < config.num_layers; k++) {
      const create = (name: string) =>
        factory.create({
          units: H,
          activation: keras.options.activation as ActivationName,
          recurrentActivation: keras.options.recurrent_activation as ActivationName | undefined,
          useFusedKernel,
          name,
        });
      const layer = config.bidirectional
        ? new Bidirectional({ layer: create(`rnn_${k}`), mergeMode: 'concat', name: `bidirectional_${k}` })
        : create(`rnn_${k}`);
      layer.build(engine, [null, T, k === 0 ? config.input_size : config.num_directions * H], new RandomGenerator(0));
      const halves: RNN[] = layer instanceof Bidirectional ? [layer.forward, layer.backward] : [layer as RNN];
      directions.forEach((direction, d) => {
        const directionWeights = keras.layers[k][direction] as KerasWeights;
        const tensors: Record<string, Tensor> = {};
        for (const name of KERAS_WEIGHT_NAMES) {
          tensors[name] = tensorOf(directionWeights[name]);
          weights.push({
            label: `keras.layers[${k}].${direction}.${name}`,
            tensor: tensors[name],
            reference: keras.grads[k][direction]![name],
          });
        }
        assignLayerWeights(halves[d], tensors);
      });
      layers.push(layer);
    }

    // Filled inside the differentiated function, read after it.
    const computed: { output?: Tensor; finalStates?: Tensor[] } = {};
    const wrt = [x, ...initialStates, ...weights.map((weight) => weight.tensor)];
    const { value, grads } = valueAndGradients(
      engine,
      () => {
        let sequence = config.batch_first ? x : ops.transpose(x, [1, 0, 2]);
        const finals: Tensor[][] = states.map(() => []);
        layers.forEach((layer, k) => {
          const initialState = directions.flatMap((_, d) =>
            initialStates.map((state) =>
              ops.reshape(ops.slice(state, [k * directions.length + d, 0, 0], [1, N, H]), [N, H]),
            ),
          );
          const result =
            layer instanceof Bidirectional
              ? layer.run(sequence, { initialState, mask })
              : (layer as RNN).run(sequence, { initialState, mask });
          sequence = result.output!;
          // States come per direction, each in the cell's order: [h_f, c_f, h_b, c_b] for LSTM.
          result.states.forEach((state, j) => finals[j % states.length].push(ops.reshape(state, [1, N, H])));
        });
        const output = config.batch_first ? sequence : ops.transpose(sequence, [1, 0, 2]);
        const finalStates = finals.map((list) => ops.concat(list, 0));
        computed.output = output;
        computed.finalStates = finalStates;
        const terms = [
          ops.sum(ops.mul(output, upstreamOutput)),
          ...finalStates.map((state, s) => ops.sum(ops.mul(state, upstreamStates[s]))),
        ];
        return terms.reduce((total, term) => ops.add(total, term));
      },
      wrt,
    );

    const read = (tensor: Tensor) => tensor.read() as Float32Array;
    return {
      loss: value.item(),
      forward: [
        { label: 'output', got: read(computed.output!), reference: cell.outputs.output },
        ...states.map((name, s) => ({
          label: `${name}_n`,
          got: read(computed.finalStates![s]),
          reference: cell.outputs[`${name}_n`],
        })),
      ],
      gradients: [
        { label: 'grad x', got: read(grads[0]), reference: cell.grads.x },
        ...states.map((name, s) => ({
          label: `grad ${name}0`,
          got: read(grads[1 + s]),
          reference: cell.grads[`${name}0`],
        })),
        ...weights.map((weight, j) => ({
          label: `grad ${weight.label}`,
          got: read(grads[1 + states.length + j]),
          reference: weight.reference,
        })),
      ],
    };
  });
}

/** `[N, T]`: 1 for the first `lengths[n]` steps of sample n, 0 after (PyTorch packed sequences). */
function lengthMask(engine: Engine, lengths: readonly number[], steps: number): Tensor {
  const values = lengths.flatMap((length) => Array.from({ length: steps }, (_, t) => (t < length ? 1 : 0)));
  return engine.tensor(values, [lengths.length, steps]);
}
