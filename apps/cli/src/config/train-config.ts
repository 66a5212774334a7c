import { dirname, resolve } from 'node:path';
import type { LayerSpec, OptimizerConfig } from '@recur/core';
import { CliError } from '../cli-error.js';
import { ConfigObject, describe, isPlainObject } from './config-object.js';
import { readDataConfig, type DataConfig } from './data-config.js';
import { readConfigFile } from './read-config-file.js';

/** How to train: Keras `compile` and `fit` options. */
export interface TrainingOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerConfig;
  readonly loss: string;
  readonly metrics: readonly string[];
}

/** A checked train config: everything `recur train` needs, flags already applied. */
export interface TrainConfig {
  /** The config file, for messages. */
  readonly source: string;
  readonly modelName: string;
  /** Layer specs, possibly holding `$vocabularySize` / `$classes` placeholders filled from the data. */
  readonly layers: readonly LayerSpec[];
  readonly data: DataConfig;
  readonly training: TrainingOptions;
  readonly backend: string;
  readonly seed: number;
  /** The model folder to write. */
  readonly output: string;
}

/** Flags of `recur train` that override the file. */
export interface TrainOverrides {
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly backend?: string;
  readonly seed?: number;
  readonly output?: string;
}

const TOP_LEVEL_FIELDS = ['model', 'data', 'training', 'backend', 'seed', 'output'];
const OPTIMIZER_KINDS = ['adam', 'rmsprop', 'sgd', 'adagrad'];
const TRAINING_FIELDS = ['epochs', 'batchSize', 'optimizer', 'learningRate', 'loss', 'metrics'];

/**
 * Reads and checks a train config (JSON or YAML), then applies flag overrides. Layers are
 * written as in the core model spec (`{ kind: LSTM, config: { units: 64 } }`) or with their
 * options inline (`{ kind: LSTM, units: 64 }`), wrapped layers too (`{ kind: Bidirectional,
 * layer: { kind: LSTM, units: 64 } }`).
 *
 * @example
 * const config = await loadTrainConfig('examples/text-generation/config.yaml', { epochs: 2 });
 */
export async function loadTrainConfig(path: string, overrides: TrainOverrides = {}): Promise<TrainConfig> {
  const root = ConfigObject.root(await readConfigFile(path), path).allowOnly(TOP_LEVEL_FIELDS);
  const directory = dirname(resolve(path));
  const model = root.object('model', { required: true })!.allowOnly(['name', 'layers']);
  const layerList = model.array('layers', { required: true })!;
  if (layerList.length === 0) throw model.error('layers', 'must list at least one layer.');
  const layers = layerList.map((entry, k) => readLayer(entry, `model.layers[${k}]`, path));

  const training = root.object('training', { required: true })!.allowOnly(TRAINING_FIELDS);
  const output = overrides.output ?? root.string('output');
  return {
    source: path,
    modelName: model.string('name') ?? 'model',
    layers,
    data: readDataConfig(root.object('data', { required: true })!, directory),
    training: {
      epochs: overrides.epochs ?? training.integer('epochs', { min: 1 }) ?? 1,
      batchSize: overrides.batchSize ?? training.integer('batchSize', { min: 1 }) ?? 32,
      optimizer: readOptimizer(training, overrides.learningRate),
      loss: training.string('loss', { required: true })!,
      metrics: training.stringArray('metrics') ?? [],
    },
    backend: overrides.backend ?? root.string('backend') ?? 'ts',
    seed: overrides.seed ?? root.integer('seed', { min: 0 }) ?? 42,
    output:
      output === undefined
        ? resolve('model')
        : overrides.output !== undefined
          ? resolve(output)
          : resolve(directory, output),
  };
}

/** Fields a layer cannot do without, checked here so the error names them by their path in the file. */
const REQUIRED_LAYER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  LSTM: ['units'],
  GRU: ['units'],
  SimpleRNN: ['units'],
  Dense: ['units'],
  Embedding: ['inputDim', 'outputDim'],
  Bidirectional: ['layer'],
  TimeDistributed: ['layer'],
};

/**
 * One layer, inline (`{ kind: LSTM, units: 64 }`) or in the spec form (`{ kind: LSTM, config:
 * { units: 64 } }`). A wrapper's `layer` (Bidirectional, TimeDistributed) may be written either
 * way too: it is read as a layer of its own.
 */
function readLayer(entry: unknown, path: string, source: string): LayerSpec {
  const layer = ConfigObject.at(entry, path, source);
  const kind = layer.string('kind', { required: true })!;
  const inSpecForm = layer.has('config');
  const options = inSpecForm ? layer.allowOnly(['kind', 'config']).object('config')! : layer;
  const config: Record<string, unknown> = { ...options.value };
  if (!inSpecForm) delete config.kind;
  for (const field of REQUIRED_LAYER_FIELDS[kind] ?? []) {
    // A misspelling (`unit`, `Units`) is left to the layer's own check, which suggests the right name.
    const misspelt = Object.keys(config).some((key) => singular(key) === singular(field));
    if (!options.has(field) && !misspelt)
      throw options.error(
        field,
        `is required for a ${kind} layer${field === 'layer' ? ', e.g. layer: { kind: LSTM, units: 64 }' : ''}.`,
      );
  }
  if (options.has('layer')) config.layer = readLayer(options.raw('layer'), options.fieldPath('layer'), source);
  return { kind, config };
}

function singular(name: string): string {
  return name.toLowerCase().replace(/s$/, '');
}

/** `optimizer: adam` or `optimizer: { kind: adam, learningRate: 0.01 }`; `learningRate` may also sit beside it. */
function readOptimizer(training: ConfigObject, learningRateFlag: number | undefined): OptimizerConfig {
  const raw = training.raw('optimizer') ?? 'rmsprop';
  let kind: string;
  let options: Record<string, number | boolean> = {};
  if (typeof raw === 'string') kind = raw;
  else if (isPlainObject(raw)) {
    const optimizer = training.object('optimizer')!;
    kind = optimizer.string('kind', { required: true })!;
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'kind') continue;
      if (typeof value !== 'number' && typeof value !== 'boolean')
        throw optimizer.error(key, `must be a number or true/false, got ${describe(value)}.`);
      options[key] = value;
    }
  } else
    throw training.error(
      'optimizer',
      `must be a name (adam, rmsprop, sgd, adagrad) or an object { kind, learningRate, ... }; got ${describe(raw)}.`,
    );
  const learningRate = learningRateFlag ?? training.number('learningRate', { min: 0 });
  if (learningRate !== undefined) options = { ...options, learningRate };
  if (!OPTIMIZER_KINDS.includes(kind.toLowerCase())) {
    const field = typeof raw === 'string' ? 'training.optimizer' : 'training.optimizer.kind';
    throw new CliError(`${training.source}: '${field}' must be one of ${OPTIMIZER_KINDS.join(', ')}; got '${kind}'.`);
  }
  return { kind: kind.toLowerCase(), options };
}
