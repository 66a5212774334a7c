import {
  Bidirectional,
  Dense,
  Embedding,
  GRU,
  LSTM,
  RandomGenerator,
  Sequential,
  SimpleRNN,
  type KernelBackend,
  type TensorData,
} from '@recur/core';

/**
 * A model every graph backend runs: built (and one trained) on a reference KernelBackend, whose
 * `Sequential.predict` and `SequenceStream` outputs are what the graph backend must give.
 */
export interface GraphModelCase {
  readonly name: string;
  /** A built model with non-trivial weights. */
  create(): Promise<Sequential>;
  /** A batch for predict (batch first). */
  readonly x: TensorData;
  /** Inputs of consecutive stream steps (`[N, ...features]`), or null when the model needs whole sequences. */
  readonly steps: readonly TensorData[] | null;
}

/** Replaces every weight with uniform values in [-0.5, 0.5), so biases are not zero either. */
function randomizeWeights(model: Sequential, seed: number): Sequential {
  const random = new RandomGenerator(seed);
  const weights = new Map<string, TensorData>();
  for (const [name, data] of model.getWeights()) {
    weights.set(name, { shape: data.shape, values: Float32Array.from(data.values, () => random.uniform() - 0.5) });
  }
  model.setWeights(weights);
  return model;
}

function floats(shape: readonly number[], seed: number): TensorData {
  const random = new RandomGenerator(seed);
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return { shape, values: Float32Array.from({ length: size }, () => 2 * random.uniform() - 1) };
}

function ids(rows: readonly (readonly number[])[]): TensorData {
  return { shape: [rows.length, rows[0].length], values: Int32Array.from(rows.flat()) };
}

/** Post-padded token rows (tokens first, id 0 after), the layout `Embedding({ maskZero })` exports for. */
const PADDED_IDS = ids([
  [3, 7, 1, 0, 0, 0],
  [5, 0, 0, 0, 0, 0],
  [2, 9, 4, 8, 11, 6],
  [1, 1, 2, 3, 0, 0],
]);

/** Two streams of tokens side by side: step k feeds `[first[k], second[k]]`. */
const TOKEN_STEPS = [
  [3, 5],
  [7, 2],
  [1, 9],
  [4, 4],
  [11, 8],
].map((pair): TensorData => ({ shape: [2], values: Int32Array.from(pair) }));

const FLOAT_STEPS = [0, 1, 2, 3, 4].map((k) => floats([2, 3], 100 + k));

async function trainedTextClassifier(backend: KernelBackend): Promise<Sequential> {
  const model = new Sequential([
    new Embedding({ inputDim: 12, outputDim: 5, maskZero: true, inputShape: [null] }),
    new LSTM({ units: 6 }),
    new Dense({ units: 4, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', backend, seed: 11 });
  // The label is the first token modulo 4: learnable, so the weights move away from their initial values.
  const random = new RandomGenerator(5);
  const rows = Array.from({ length: 48 }, () => {
    const length = 2 + random.integer(5);
    return Array.from({ length: 6 }, (_, t) => (t < length ? 1 + random.integer(11) : 0));
  });
  await model.fit(
    rows,
    rows.map((row) => row[0] % 4),
    { epochs: 3, batchSize: 16, shuffle: false },
  );
  return model;
}

/**
 * The graph suite's models: LSTM, GRU (both reset modes) and SimpleRNN stacks, masked token
 * batches and float features, one model trained, and one Bidirectional stack that cannot stream.
 * `createReferenceBackend` builds and trains them (backend-ts in Recur's own tests), so the
 * expected numbers come from a KernelBackend, not from the graph backend under test.
 *
 * @example
 * const [textClassifier] = graphModelCases(tsBackend);
 * const model = await textClassifier.create();
 */
export function graphModelCases(createReferenceBackend: () => KernelBackend): readonly GraphModelCase[] {
  return [
    {
      name: 'Embedding(maskZero) + LSTM + Dense softmax, trained, masked padded batch',
      create: () => trainedTextClassifier(createReferenceBackend()),
      x: PADDED_IDS,
      steps: TOKEN_STEPS,
    },
    {
      name: 'stacked LSTM, returning sequences into a Dense',
      create: async () =>
        randomizeWeights(
          new Sequential([
            new LSTM({ units: 5, returnSequences: true, inputShape: [null, 3] }),
            new LSTM({ units: 4, returnSequences: true }),
            new Dense({ units: 3 }),
          ]).build({
            backend: createReferenceBackend(),
            seed: 1,
          }),
          21,
        ),
      x: floats([3, 7, 3], 31),
      steps: FLOAT_STEPS,
    },
    {
      name: 'stacked GRU (reset_after and reset_before) + Dense sigmoid',
      create: async () =>
        randomizeWeights(
          new Sequential([
            new GRU({ units: 5, returnSequences: true, inputShape: [null, 3] }),
            new GRU({ units: 4, resetAfter: false }),
            new Dense({ units: 2, activation: 'sigmoid' }),
          ]).build({ backend: createReferenceBackend(), seed: 2 }),
          22,
        ),
      x: floats([3, 6, 3], 32),
      steps: FLOAT_STEPS,
    },
    {
      name: 'stacked SimpleRNN (tanh, relu)',
      create: async () =>
        randomizeWeights(
          new Sequential([
            new SimpleRNN({ units: 5, returnSequences: true, inputShape: [null, 3] }),
            new SimpleRNN({ units: 3, activation: 'relu', returnSequences: true }),
            new Dense({ units: 2 }),
          ]).build({ backend: createReferenceBackend(), seed: 3 }),
          23,
        ),
      x: floats([2, 5, 3], 33),
      steps: FLOAT_STEPS,
    },
    {
      name: 'Embedding(maskZero) + GRU + SimpleRNN + Dense softmax, masked padded batch',
      create: async () =>
        randomizeWeights(
          new Sequential([
            new Embedding({ inputDim: 12, outputDim: 4, maskZero: true, inputShape: [null] }),
            new GRU({ units: 5, returnSequences: true }),
            new SimpleRNN({ units: 4 }),
            new Dense({ units: 3, activation: 'softmax' }),
          ]).build({ backend: createReferenceBackend(), seed: 4 }),
          24,
        ),
      x: PADDED_IDS,
      steps: TOKEN_STEPS,
    },
    {
      name: 'Bidirectional LSTM (concat) into Bidirectional GRU (sum), masked padded batch',
      create: async () =>
        randomizeWeights(
          new Sequential([
            new Embedding({ inputDim: 12, outputDim: 4, maskZero: true, inputShape: [null] }),
            new Bidirectional({ layer: new LSTM({ units: 3, returnSequences: true }) }),
            new Bidirectional({ layer: new GRU({ units: 3 }), mergeMode: 'sum' }),
            new Dense({ units: 2, activation: 'softmax' }),
          ]).build({ backend: createReferenceBackend(), seed: 5 }),
          25,
        ),
      x: PADDED_IDS,
      steps: null,
    },
  ];
}
