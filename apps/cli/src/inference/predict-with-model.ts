import { RecurError, oneHot, toTensorData, type TensorData } from '@recur/core';
import { CliError } from '../cli-error.js';
import { normaliseText } from '../data/classification-data.js';
import type { Encoding } from '../data/encoding.js';
import { encodeDocuments, tokenize } from '../data/token-vocabulary.js';
import type { InferenceModel } from './inference-model.js';
import type { PredictInput } from './predict-inputs.js';

export interface PredictOptions {
  /** Forecasting: values to forecast ahead (each fed back as input). */
  readonly steps: number;
  /** Language models: how many next characters to list. */
  readonly topK: number;
}

/**
 * Predictions as JSON-ready values, read the way the model's task needs: texts for
 * classifiers (label and probabilities), a series for forecasters (the next values, in the
 * data's units), texts for language models (the most probable next characters), and plain
 * nested arrays for models without CLI metadata (raw output).
 *
 * @example
 * const result = await predictWithModel(model, { format: 'text', lines: ['win money now'] }, { steps: 1, topK: 5 });
 */
export async function predictWithModel(
  model: InferenceModel,
  input: PredictInput,
  options: PredictOptions,
): Promise<unknown> {
  const encoding = model.metadata.encoding;
  if (input.format === 'json' && isNestedArray(input.value)) return raw(model, input.value);
  switch (encoding?.task) {
    case 'classification':
      return classify(model, encoding, texts(input, 'a classifier'));
    case 'forecasting':
      return forecast(model, encoding, series(input, encoding.column), options.steps);
    case 'language-model':
      return nextCharacters(model, encoding, texts(input, 'a language model'), options.topK);
    default:
      if (input.format !== 'json')
        throw new CliError(
          `This model has no CLI metadata (task, vocabulary), so it takes raw JSON input: nested arrays of numbers shaped like its input.`,
        );
      return raw(model, input.value);
  }
}

async function raw(model: InferenceModel, value: unknown): Promise<unknown> {
  let data: TensorData;
  try {
    data = toTensorData(value as never, model.inputDtype, 'input');
  } catch (error) {
    if (error instanceof RecurError) throw new CliError(`The input does not fit the model: ${error.message}`);
    throw error;
  }
  const output = await model.predict(data);
  return { shape: output.shape, output: nest(output) };
}

async function classify(
  model: InferenceModel,
  encoding: Extract<Encoding, { task: 'classification' }>,
  inputs: readonly string[],
) {
  const documents = inputs.map((text) => tokenize(normaliseText(text, encoding), encoding.tokenizer));
  let x: TensorData = {
    shape: [inputs.length, encoding.maxLength],
    values: encodeDocuments(documents, encoding.tokens, encoding.maxLength),
  };
  if (model.inputDtype === 'float32') x = oneHot(x, encoding.tokens.length);
  const output = await model.predict(x);
  const width = output.values.length / inputs.length;
  return inputs.map((text, k) => {
    const scores = Array.from(output.values.subarray(k * width, (k + 1) * width));
    // One sigmoid output is the probability of the second label.
    const probabilities = width === 1 ? [1 - scores[0], scores[0]] : scores;
    const best = probabilities.indexOf(Math.max(...probabilities));
    return {
      text: text.length > 80 ? `${text.slice(0, 77)}...` : text,
      label: encoding.labels[best],
      probabilities: Object.fromEntries(encoding.labels.map((label, id) => [label, probabilities[id]])),
    };
  });
}

async function forecast(
  model: InferenceModel,
  encoding: Extract<Encoding, { task: 'forecasting' }>,
  values: readonly number[],
  steps: number,
) {
  const { window, scaling } = encoding;
  if (values.length < window)
    throw new CliError(`The model forecasts from the last ${window} values; the input has ${values.length}.`);
  const history = values.slice(-window).map((value) => (value - scaling.offset) / scaling.scale);
  const forecasts: number[] = [];
  for (let k = 0; k < steps; k++) {
    const output = await model.predict({ shape: [1, window, 1], values: Float32Array.from(history.slice(-window)) });
    history.push(output.values[0]);
    forecasts.push(output.values[0] * scaling.scale + scaling.offset);
  }
  return { column: encoding.column, window, forecast: forecasts };
}

async function nextCharacters(
  model: InferenceModel,
  encoding: Extract<Encoding, { task: 'language-model' }>,
  inputs: readonly string[],
  topK: number,
) {
  const characters = encoding.vocabulary.characters;
  const results = [];
  for (const text of inputs) {
    const stream = model.createStream();
    let probabilities: TensorData | null = null;
    for (const character of Array.from(encoding.lowercase ? text.toLowerCase() : text)) {
      const id = characters.indexOf(character);
      if (id < 0)
        throw new CliError(
          `The input does not fit the model: character ${JSON.stringify(character)} is not in its vocabulary.`,
        );
      const step = { shape: [1], values: Int32Array.of(id) };
      probabilities = await stream.step(model.inputDtype === 'int32' ? step : oneHot(step, characters.length));
    }
    const ranked = Array.from(probabilities!.values, (p, id) => ({ character: characters[id], probability: p })).sort(
      (a, b) => b.probability - a.probability,
    );
    results.push({ text, next: ranked.slice(0, topK) });
  }
  return results;
}

function texts(input: PredictInput, what: string): string[] {
  if (input.format === 'text') return [...input.lines];
  if (input.format === 'json' && Array.isArray(input.value) && input.value.every((item) => typeof item === 'string'))
    return input.value as string[];
  if (input.format === 'json' && typeof input.value === 'string') return [input.value];
  throw new CliError(`${what} takes texts: a text file (one per line) or a JSON list of strings.`);
}

function series(input: PredictInput, column: string): number[] {
  if (input.format === 'json') {
    if (Array.isArray(input.value) && input.value.every((item) => typeof item === 'number'))
      return input.value as number[];
    throw new CliError(
      'A forecaster takes a JSON list of numbers, a CSV file with its column, or a text file with one number per line.',
    );
  }
  const cells = input.format === 'text' ? input.lines : columnCells(input, column);
  return cells.map((cell, k) => {
    const value = Number(cell);
    if (cell.trim() === '' || !Number.isFinite(value))
      throw new CliError(`Input value ${k + 1} is ${JSON.stringify(cell)}, not a number.`);
    return value;
  });
}

function columnCells(input: Extract<PredictInput, { format: 'csv' }>, column: string): string[] {
  const index = input.header.indexOf(column) >= 0 ? input.header.indexOf(column) : input.header.length === 1 ? 0 : -1;
  if (index < 0)
    throw new CliError(
      `The CSV input has no column '${column}' (the column the model was trained on). Its columns: ${input.header.join(', ')}.`,
    );
  return input.rows.map((row) => row[index] ?? '');
}

/** Nested arrays (samples of time steps...) are raw model input whatever the task. */
function isNestedArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && Array.isArray(value[0]);
}

function nest(data: TensorData): unknown {
  const build = (axis: number, offset: number): unknown => {
    if (axis === data.shape.length) return data.values[offset];
    const stride = data.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: data.shape[axis] }, (_, k) => build(axis + 1, offset + k * stride));
  };
  return build(0, 0);
}
