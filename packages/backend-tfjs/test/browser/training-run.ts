import { Dense, Embedding, LSTM, Sequential, type KernelBackend } from '@recur/core';

/** Plain arrays, so results cross from the page to the test through page.evaluate. */
export interface PlainTensor {
  readonly shape: number[];
  readonly values: number[];
}

/** What one training run gives back: the loss of every step and the trained model's predictions. */
export interface TrainingRun {
  readonly backendName: string;
  readonly losses: number[];
  readonly predictions: PlainTensor;
}

const SAMPLES = 12;
const STEPS_PER_SEQUENCE = 5;
const VOCABULARY = 6;
const CLASSES = 3;
export const TRAINING_STEPS = 10;

/** Token ids 0..5 in a fixed pattern; the class is the token sum modulo 3 (it needs the whole sequence). */
function trainingData(): { x: number[][]; y: number[] } {
  const x = Array.from({ length: SAMPLES }, (_, n) =>
    Array.from({ length: STEPS_PER_SEQUENCE }, (_, t) => (3 * n + t * t + n * t) % VOCABULARY),
  );
  const y = x.map((tokens) => tokens.reduce((sum, token) => sum + token, 0) % CLASSES);
  return { x, y };
}

/**
 * The run the browser test repeats on every backend: an Embedding + LSTM + softmax classifier
 * built from a fixed seed, trained with Adam on one full batch per epoch (so each epoch's loss
 * is exactly one step's loss and the batch order cannot matter), then asked to predict the
 * training inputs.
 */
export async function trainSmallModel(backend: KernelBackend): Promise<TrainingRun> {
  const model = new Sequential([
    new Embedding({ inputDim: VOCABULARY, outputDim: 4, inputShape: [STEPS_PER_SEQUENCE] }),
    new LSTM({ units: 8 }),
    new Dense({ units: CLASSES, activation: 'softmax' }),
  ]);
  model.compile({
    optimizer: { kind: 'adam', options: { learningRate: 0.03 } },
    loss: 'sparse_categorical_crossentropy',
    backend,
    seed: 7,
  });
  const { x, y } = trainingData();
  const history = await model.fit(x, y, { epochs: TRAINING_STEPS, batchSize: SAMPLES, shuffle: false });
  const predictions = model.predict(x);
  return {
    backendName: backend.name,
    losses: history.history.loss,
    predictions: { shape: [...predictions.shape], values: Array.from(predictions.values) },
  };
}
