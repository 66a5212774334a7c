import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Sequential, type BuildOptions, type LayerSpec, type TensorData } from '@recur/core';
import { CliError } from '../cli-error.js';
import { isPlainObject } from '../config/config-object.js';

/** Keras layer option (snake_case) -> Recur option (camelCase), per supported layer class. */
const LAYER_OPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Embedding: { input_dim: 'inputDim', output_dim: 'outputDim', mask_zero: 'maskZero' },
  Dense: { units: 'units', activation: 'activation', use_bias: 'useBias' },
  Dropout: { rate: 'rate' },
  Activation: { activation: 'activation' },
  LSTM: {
    units: 'units',
    activation: 'activation',
    recurrent_activation: 'recurrentActivation',
    use_bias: 'useBias',
    return_sequences: 'returnSequences',
    go_backwards: 'goBackwards',
    unit_forget_bias: 'unitForgetBias',
    dropout: 'dropout',
    recurrent_dropout: 'recurrentDropout',
  },
  GRU: {
    units: 'units',
    activation: 'activation',
    recurrent_activation: 'recurrentActivation',
    use_bias: 'useBias',
    return_sequences: 'returnSequences',
    go_backwards: 'goBackwards',
    reset_after: 'resetAfter',
    dropout: 'dropout',
    recurrent_dropout: 'recurrentDropout',
  },
  SimpleRNN: {
    units: 'units',
    activation: 'activation',
    use_bias: 'useBias',
    return_sequences: 'returnSequences',
    go_backwards: 'goBackwards',
    dropout: 'dropout',
    recurrent_dropout: 'recurrentDropout',
  },
};

/**
 * Hard sigmoid is 0.2x + 0.5 in TensorFlow.js and Keras 2 (the makers of model.json files) but
 * x/6 + 0.5 in Keras 3 and Recur: importing it under the same name would silently change the
 * numbers, so such models are refused.
 */
const FOREIGN_HARD_SIGMOID = ['hardSigmoid', 'hard_sigmoid'];

interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: readonly { name: string; shape: number[]; dtype: string; quantization?: unknown }[];
}

/**
 * Converts a TensorFlow.js Layers `model.json` (Sequential, as `model.save()` in tfjs or
 * `tensorflowjs_converter` writes it) with its weight shards beside it into a built Recur
 * model. Keras and Recur share the weight layout, so weights move as they are; options are
 * renamed (`return_sequences` -> `returnSequences`). Options are read from the file, never
 * assumed (tfjs's defaults differ from Recur's Keras 3 ones: GRU `reset_after: false`).
 *
 * @example
 * const model = await importTfjsLayersModel(JSON.parse(text), 'tfjs-model/model.json', { backend: tsBackend() });
 */
export async function importTfjsLayersModel(json: unknown, path: string, build: BuildOptions): Promise<Sequential> {
  if (!isPlainObject(json)) throw new CliError(`'${path}' is not a TensorFlow.js model.json (expected an object).`);
  if (json.format === 'recur-saved-model')
    throw new CliError(`'${path}' is already a Recur model: use its folder directly.`);
  const topology =
    isPlainObject(json.modelTopology) && isPlainObject(json.modelTopology.model_config)
      ? json.modelTopology.model_config
      : json.modelTopology;
  if (!isPlainObject(topology) || !Array.isArray(json.weightsManifest)) {
    throw new CliError(
      `'${path}' is not a TensorFlow.js Layers model.json: it needs 'modelTopology' and 'weightsManifest'.`,
    );
  }
  if (topology.class_name !== 'Sequential')
    throw new CliError(`'${path}' holds a ${String(topology.class_name)} model; Recur imports Sequential models.`);
  const config = topology.config as unknown;
  const layerList = (Array.isArray(config) ? config : isPlainObject(config) ? config.layers : undefined) as
    | unknown[]
    | undefined;
  if (!Array.isArray(layerList)) throw new CliError(`'${path}': the Sequential model lists no layers.`);
  const name = isPlainObject(config) && typeof config.name === 'string' ? config.name : 'imported';

  let inputShape: (number | null)[] | undefined;
  const layers: LayerSpec[] = [];
  for (const entry of layerList) {
    const kind = isPlainObject(entry) ? String(entry.class_name) : '?';
    const options = isPlainObject(entry) && isPlainObject(entry.config) ? entry.config : {};
    const batchShape = (options.batch_input_shape ?? options.batch_shape) as (number | null)[] | undefined;
    if (inputShape === undefined && Array.isArray(batchShape)) inputShape = batchShape.slice(1);
    if (kind === 'InputLayer') continue;
    const renames = LAYER_OPTIONS[kind];
    if (renames === undefined)
      throw new CliError(
        `'${path}': layer '${String(options.name)}' is a ${kind}; Recur imports ${Object.keys(LAYER_OPTIONS).join(', ')}.`,
      );
    const converted: Record<string, unknown> = { name: options.name };
    for (const [keras, recur] of Object.entries(renames)) {
      const value = options[keras];
      if (value === undefined || value === null) continue;
      if (typeof value === 'string' && FOREIGN_HARD_SIGMOID.includes(value)) {
        throw new CliError(
          `'${path}': layer '${String(options.name)}' uses ${keras} '${value}', which in TensorFlow.js and Keras 2 is 0.2x + 0.5; Recur's hard_sigmoid is Keras 3's x/6 + 0.5. Retrain with '${keras}: sigmoid' (tfjs: recurrentActivation: 'sigmoid') to import it.`,
        );
      }
      converted[recur] = value;
    }
    layers.push({ kind, config: converted });
  }
  if (inputShape === undefined)
    throw new CliError(
      `'${path}': no layer records its input shape (batch_input_shape); Recur needs it to build the model.`,
    );
  const model = Sequential.fromSpec({
    format: 'recur-model',
    formatVersion: 1,
    kind: 'Sequential',
    name,
    inputShape,
    layers,
  }).build(build);
  model.setWeights(await readWeights(json.weightsManifest as ManifestGroup[], dirname(path), model));
  return model;
}

/** The manifest's tensors (float32 only), matched to the model's weights by layer name and last path part. */
async function readWeights(
  manifest: readonly ManifestGroup[],
  folder: string,
  model: Sequential,
): Promise<Map<string, TensorData>> {
  const found = new Map<string, TensorData>();
  for (const group of manifest) {
    const shards = await Promise.all(
      group.paths.map((shard) =>
        readFile(join(folder, shard)).catch(() => {
          throw new CliError(`Weight file '${join(folder, shard)}' named in the manifest does not exist.`);
        }),
      ),
    );
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const weight of group.weights) {
      if (weight.dtype !== 'float32' || weight.quantization !== undefined)
        throw new CliError(
          `Weight '${weight.name}' is ${weight.dtype}${weight.quantization !== undefined ? ' (quantized)' : ''}; Recur imports float32 weights.`,
        );
      const size = weight.shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(
        bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + size * 4),
      );
      offset += size * 4;
      const [layer] = weight.name.split('/');
      const part = weight.name.slice(weight.name.lastIndexOf('/') + 1);
      found.set(`${layer}/${part}`, { shape: weight.shape, values });
    }
  }
  const weights = new Map<string, TensorData>();
  for (const variable of model.weights) {
    const data = found.get(variable.name);
    if (data === undefined)
      throw new CliError(`The weight files hold no '${variable.name}' (found: ${[...found.keys()].join(', ')}).`);
    weights.set(variable.name, data);
  }
  return weights;
}
