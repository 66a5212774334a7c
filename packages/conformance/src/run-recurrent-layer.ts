import {
  type Engine,
  GRU,
  LSTM,
  RandomGenerator,
  SimpleRNN,
  ops,
  type ActivationName,
  type FusedKernelChoice,
  type RNN,
  type Tensor,
} from '@recur/core';
import { assignLayerWeights } from './assign-layer-weights.js';
import { hostTensor, randomHostTensor, type HostTensor } from './host-tensor.js';

export type RecurrentKind = 'LSTM' | 'GRU' | 'SimpleRNN';

/** Options of the recurrent layer a case runs. */
export interface RecurrentRunOptions {
  readonly kind: RecurrentKind;
  readonly activation: ActivationName;
  /** Gate activation of LSTM and GRU (SimpleRNN has none). */
  readonly recurrentActivation: ActivationName;
  /** GRU only: Keras `reset_after`. */
  readonly resetAfter: boolean;
  readonly goBackwards: boolean;
  readonly useFusedKernel: FusedKernelChoice;
}

/** Sizes of the random problems: small, with no two sizes equal so a swapped axis shows. */
export interface RecurrentSizes {
  readonly batch: number;
  readonly steps: number;
  readonly inputSize: number;
  readonly units: number;
}

const GATES: { readonly [K in RecurrentKind]: number } = { LSTM: 4, GRU: 3, SimpleRNN: 1 };

/** The state names of each kind, in Keras order. */
export const STATE_NAMES: { readonly [K in RecurrentKind]: readonly string[] } = {
  LSTM: ['h', 'c'],
  GRU: ['h'],
  SimpleRNN: ['h'],
};

/** A core layer of the given kind returning its sequence and final states. */
export function createRecurrentLayer(options: RecurrentRunOptions, units: number): RNN {
  const { kind, activation, recurrentActivation, resetAfter, goBackwards, useFusedKernel } = options;
  const common = {
    units,
    activation,
    goBackwards,
    useFusedKernel,
    returnSequences: true,
    returnState: true,
    name: kind.toLowerCase(),
  };
  if (kind === 'LSTM') return new LSTM({ ...common, recurrentActivation });
  if (kind === 'GRU') return new GRU({ ...common, recurrentActivation, resetAfter });
  return new SimpleRNN(common);
}

/**
 * Random inputs of one layer, in the order `runRecurrentLayer` takes them: x `[N, T, I]`, the
 * initial states `[N, H]` each, kernel `[I, G*H]`, recurrent kernel `[H, G*H]`, bias `[G*H]`
 * (`[2, 3H]` for a GRU with reset_after). Weights are kept small so relu and linear
 * activations stay bounded over the steps.
 */
export function randomRecurrentInputs(
  random: RandomGenerator,
  options: RecurrentRunOptions,
  sizes: RecurrentSizes,
): HostTensor[] {
  const { batch, steps, inputSize, units } = sizes;
  const width = GATES[options.kind] * units;
  return [
    randomHostTensor(random, [batch, steps, inputSize]),
    ...STATE_NAMES[options.kind].map(() => randomHostTensor(random, [batch, units], { low: -0.5, high: 0.5 })),
    randomHostTensor(random, [inputSize, width], { low: -0.6, high: 0.6 }),
    randomHostTensor(random, [units, width], { low: -0.6, high: 0.6 }),
    randomHostTensor(random, options.kind === 'GRU' && options.resetAfter ? [2, width] : [width], {
      low: -0.3,
      high: 0.3,
    }),
  ];
}

/** Names of the inputs of `randomRecurrentInputs`, for messages. */
export function recurrentInputNames(kind: RecurrentKind): string[] {
  return ['x', ...STATE_NAMES[kind].map((name) => `${name}0`), 'kernel', 'recurrent_kernel', 'bias'];
}

/**
 * A `[N, T]` mask that exercises the skipping rules: full length, padding at the end, a hole in
 * the middle, and (from the fourth row on) a sample with no valid step at all.
 */
export function sequenceMask(batch: number, steps: number): HostTensor {
  const rows = [() => 1, (t: number) => (t < steps - 2 ? 1 : 0), (t: number) => (t === 1 ? 0 : 1), () => 0];
  const values: number[] = [];
  for (let n = 0; n < batch; n++) for (let t = 0; t < steps; t++) values.push(rows[n % rows.length](t));
  return hostTensor([batch, steps], values);
}

/**
 * Runs one core recurrent layer with the given weights and initial states, and returns its
 * output sequence and final states flattened into one vector (so one projection covers all).
 */
export function runRecurrentLayer(
  engine: Engine,
  inputs: readonly Tensor[],
  mask: Tensor | null,
  options: RecurrentRunOptions,
): Tensor {
  const stateCount = STATE_NAMES[options.kind].length;
  const [x, ...rest] = inputs;
  const initialState = rest.slice(0, stateCount);
  const [kernel, recurrentKernel, bias] = rest.slice(stateCount);
  const layer = createRecurrentLayer(options, initialState[0].shape[1]);
  layer.build(engine, [null, x.shape[1], x.shape[2]], new RandomGenerator(0));
  assignLayerWeights(layer, { kernel, recurrent_kernel: recurrentKernel, bias });
  const { output, states } = layer.run(x, { initialState, mask });
  return ops.concat(
    [output, ...states].map((tensor) => ops.reshape(tensor, [-1])),
    0,
  );
}
