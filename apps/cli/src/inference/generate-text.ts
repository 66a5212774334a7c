import { RandomGenerator, type RecurError, oneHot, sampleWithTemperature, type TensorData } from '@recur/core';
import { CliError } from '../cli-error.js';
import { requireLanguageModel } from '../model/cli-metadata.js';
import type { InferenceModel } from './inference-model.js';

export interface GenerateOptions {
  /** Text the model reads before it writes (lowercased if the model was trained lowercased). */
  readonly prompt: string;
  /** Characters to generate. */
  readonly length: number;
  readonly temperature: number;
  /** Sample among the k most probable characters only. */
  readonly topK?: number;
  /** Seed of the sampling generator. */
  readonly seed: number;
}

/**
 * Character-level text generation with the streaming step: the prompt is fed one character at
 * a time with the recurrent state carried, then each sampled character is fed back in. Each
 * character costs one step, however long the text grows.
 *
 * @example
 * const text = await generateText(model, { prompt: 'the state of the union ', length: 300, temperature: 0.5, seed: 1 });
 */
export async function generateText(model: InferenceModel, options: GenerateOptions): Promise<string> {
  const { vocabulary, lowercase } = requireLanguageModel(model.metadata, `'${model.source}'`, 'generate');
  const prompt = lowercase ? options.prompt.toLowerCase() : options.prompt;
  if (prompt.length === 0) throw new CliError('--prompt must hold at least one character for the model to start from.');
  let ids: Int32Array;
  try {
    ids = vocabulary.encode(prompt);
  } catch (error) {
    throw new CliError(`The prompt does not fit the model: ${(error as RecurError).message}`);
  }
  const encodeStep = (id: number): TensorData => {
    const step = { shape: [1], values: Int32Array.of(id) };
    return model.inputDtype === 'int32' ? step : oneHot(step, vocabulary.size);
  };
  const stream = model.createStream();
  let probabilities: TensorData | null = null;
  for (const id of ids) probabilities = await stream.step(encodeStep(id));
  const random = new RandomGenerator(options.seed);
  let text = '';
  for (let k = 0; k < options.length; k++) {
    const next = sampleWithTemperature(probabilities!.values, options.temperature, random, { topK: options.topK });
    text += vocabulary.characters[next];
    probabilities = await stream.step(encodeStep(next));
  }
  return text;
}
