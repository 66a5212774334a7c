import { Embedding, RecurError, Sequential, type LayerSpec, type ModelSpec } from '@recur/core';
import { CliError } from '../cli-error.js';
import type { PreparedData } from '../data/encoding.js';

/**
 * Builds the (unbuilt) model a config describes, fitted to its data: `$vocabularySize` and
 * `$classes` in layer options become the data's numbers, and a first layer without
 * `inputShape` gets the data's sample shape. A model that cannot read the data (wrong input
 * shape, an Embedding smaller than the vocabulary) fails here with the field to change.
 *
 * @example
 * const model = modelFromConfig(config.modelName, config.layers, data, 'train.yaml');
 */
export function modelFromConfig(
  name: string,
  layers: readonly LayerSpec[],
  data: PreparedData,
  source: string,
): Sequential {
  const filled = layers.map((layer, k) => ({
    kind: layer.kind,
    config: fillPlaceholders(layer.config, data.placeholders, `model.layers[${k}]`, source),
  }));
  const first = filled[0].config;
  const inputShape = (first.inputShape as number[] | undefined) ?? data.sampleShape;
  const { inputShape: _given, ...firstWithoutShape } = first;
  const spec: ModelSpec = {
    format: 'recur-model',
    formatVersion: 1,
    kind: 'Sequential',
    name,
    inputShape,
    layers: [{ kind: filled[0].kind, config: firstWithoutShape }, ...filled.slice(1)],
  };
  let model: Sequential;
  try {
    model = Sequential.fromSpec(spec);
  } catch (error) {
    if (error instanceof RecurError)
      throw new CliError(`${source}: 'model.layers' is not a valid model: ${error.message}`);
    throw error;
  }
  checkInputFits(model, data, inputShape, source);
  return model;
}

function fillPlaceholders(
  config: Record<string, unknown>,
  placeholders: Readonly<Record<string, number>>,
  path: string,
  source: string,
): Record<string, unknown> {
  const filled: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'string' && value.startsWith('$')) {
      const name = value.slice(1);
      if (!Object.hasOwn(placeholders, name)) {
        const known = Object.keys(placeholders).map((known) => `$${known}`);
        throw new CliError(
          `${source}: '${path}.${key}' is '${value}', but this data provides ${known.length === 0 ? 'no placeholders' : known.join(', ')}.`,
        );
      }
      filled[key] = placeholders[name];
    } else if (key === 'layer' && isLayerSpec(value)) {
      // A wrapper's layer (Bidirectional, TimeDistributed) may hold placeholders too.
      filled[key] = { kind: value.kind, config: fillPlaceholders(value.config, placeholders, `${path}.layer`, source) };
    } else filled[key] = value;
  }
  return filled;
}

function isLayerSpec(value: unknown): value is LayerSpec {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as LayerSpec).kind === 'string' &&
    typeof (value as LayerSpec).config === 'object'
  );
}

function checkInputFits(
  model: Sequential,
  data: PreparedData,
  inputShape: readonly (number | null)[],
  source: string,
): void {
  const expected = data.sampleShape;
  const first = model.layers[0];
  const takesIds = first.inputDtype === 'int32';
  const symbols = data.placeholders.vocabularySize;
  // Without an Embedding, token ids arrive one-hot: one more axis of the vocabulary's size.
  const sampleShape = takesIds || symbols === undefined ? expected : [...expected, symbols];
  const fits =
    inputShape.length === sampleShape.length && inputShape.every((d, k) => d === null || d === sampleShape[k]);
  if (!fits) {
    throw new CliError(
      `The data does not fit the model: one sample has shape [${sampleShape.join(', ')}], but 'model.layers[0].inputShape' is [${inputShape.join(', ')}] in ${source}. Remove inputShape (it is taken from the data) or set it to [${sampleShape.join(', ')}].`,
    );
  }
  if (first instanceof Embedding && symbols !== undefined && first.inputDim < symbols) {
    throw new CliError(
      `The data does not fit the model: the vocabulary has ${symbols} entries but 'model.layers[0].inputDim' is ${first.inputDim} in ${source}. Set inputDim to ${symbols} or to '$vocabularySize'.`,
    );
  }
}
