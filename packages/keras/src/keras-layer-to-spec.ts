import { ValueError, type LayerSpec } from '@recur/core';
import { activationFromKeras, type LayersProducer } from './keras-activation.js';
import { initializerFromKeras } from './keras-initializer.js';
import { asKerasLayer, type KerasLayerJson } from './keras-layer-json.js';

/** What converting one layer needs to know about the file around it. */
export interface LayerConversionContext {
  readonly producer: LayersProducer;
  /** Rank of the bias weight the file stores for a layer (GRU's tells reset_after), or null. */
  readonly biasRank: (layerName: string) => number | null;
  /** Messages about what was read approximately (initializers, training-only options). */
  readonly notes: string[];
}

/** Keys that never change a forward pass or that Recur reads elsewhere (shapes). */
const NEUTRAL_KEYS = new Set([
  'name',
  'trainable',
  'dtype',
  'batch_input_shape',
  'batch_shape',
  'batch_size',
  'input_length',
  'implementation',
  'unroll',
  'use_cudnn',
  'seed',
  'module',
  'registered_name',
  'build_config',
  'input_shape',
]);

/** Training-only keys: reported when set, since Recur has no regularizers or constraints. */
const TRAINING_ONLY_KEYS = [
  'kernel_regularizer',
  'recurrent_regularizer',
  'bias_regularizer',
  'activity_regularizer',
  'embeddings_regularizer',
  'kernel_constraint',
  'recurrent_constraint',
  'bias_constraint',
  'embeddings_constraint',
  'noise_shape',
];

const RECURRENT_CLASSES = ['LSTM', 'GRU', 'SimpleRNN'];

/** Reads one Keras layer config, remembering which keys were used. */
class ConfigReader {
  private readonly used = new Set<string>();

  constructor(
    readonly layer: KerasLayerJson,
    readonly context: LayerConversionContext,
  ) {}

  get where(): string {
    return `Layer '${String(this.layer.config.name)}' (${this.layer.class_name})`;
  }

  get(key: string): unknown {
    this.used.add(key);
    return this.layer.config[key];
  }

  number(key: string, fallback?: number): number {
    const value = this.get(key) ?? fallback;
    if (typeof value !== 'number')
      throw new ValueError(`${this.where}: '${key}' must be a number, got ${JSON.stringify(value)}.`);
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.get(key) ?? fallback;
    if (typeof value !== 'boolean')
      throw new ValueError(`${this.where}: '${key}' must be true or false, got ${JSON.stringify(value)}.`);
    return value;
  }

  activation(key: string, fallback?: string): string {
    const value = this.get(key) ?? fallback;
    if (value === undefined) {
      throw new ValueError(
        `${this.where} does not say its '${key}'. tfjs defaults it to hard_sigmoid and Keras 3 to sigmoid, so Recur will not guess: ` +
          `add "${key}" to the layer's config in model.json.`,
      );
    }
    return activationFromKeras(value, this.context.producer, this.where);
  }

  /** The initializer as Recur's, or undefined (Recur's default) with a note. */
  initializer(key: string): unknown {
    const value = this.get(key);
    if (value === undefined || value === null) return undefined;
    const spec = initializerFromKeras(value);
    if (spec === null)
      this.context.notes.push(
        `${this.where}: ${key} ${JSON.stringify(value)} has no Recur equivalent; Recur's default is used if the model is re-initialised.`,
      );
    return spec ?? undefined;
  }

  /** Refuses an option value Recur cannot honour. */
  refuse(key: string, isUnsupported: (value: unknown) => boolean, reason: string): void {
    const value = this.get(key);
    if (value !== undefined && value !== null && isUnsupported(value))
      throw new ValueError(`${this.where}: ${key} = ${JSON.stringify(value)} ${reason}`);
  }

  /** Notes set training-only options and keys nobody read, so nothing is dropped silently. */
  finish(): void {
    for (const key of TRAINING_ONLY_KEYS) {
      const value = this.get(key);
      if (value !== undefined && value !== null)
        this.context.notes.push(
          `${this.where}: ${key} is ignored (Recur has no regularizers, constraints or noise shapes).`,
        );
    }
    const unread = Object.keys(this.layer.config).filter((key) => !this.used.has(key) && !NEUTRAL_KEYS.has(key));
    if (unread.length > 0) this.context.notes.push(`${this.where}: option(s) ${unread.join(', ')} were not read.`);
  }
}

function recurrentSpec(reader: ConfigReader): LayerSpec {
  const kind = reader.layer.class_name;
  reader.refuse(
    'stateful',
    (value) => value === true,
    'is not supported: Recur carries state explicitly (SequenceStream), not between predict calls.',
  );
  reader.refuse('time_major', (value) => value === true, 'is not supported: Recur takes [batch, time, features].');
  const config: Record<string, unknown> = {
    units: reader.number('units'),
    activation: reader.activation('activation', 'tanh'),
    useBias: reader.boolean('use_bias', true),
    kernelInitializer: reader.initializer('kernel_initializer'),
    recurrentInitializer: reader.initializer('recurrent_initializer'),
    biasInitializer: reader.initializer('bias_initializer'),
    dropout: reader.number('dropout', 0),
    recurrentDropout: reader.number('recurrent_dropout', 0),
    returnSequences: reader.boolean('return_sequences', false),
    returnState: reader.boolean('return_state', false),
    goBackwards: reader.boolean('go_backwards', false),
  };
  if (kind !== 'SimpleRNN') config.recurrentActivation = reader.activation('recurrent_activation');
  // tfjs writes unit_forget_bias: null; it only shapes the initial bias.
  if (kind === 'LSTM') config.unitForgetBias = reader.get('unit_forget_bias') ?? true;
  if (kind === 'GRU') config.resetAfter = gruResetAfter(reader);
  return { kind, config: withoutUndefined(config) };
}

/** Drops options left to Recur's defaults (an initializer with no Recur equivalent). */
function withoutUndefined(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
}

/** GRU's reset_after from the config, else from the stored bias ([2, 3H] means true), else tfjs's only variant. */
function gruResetAfter(reader: ConfigReader): boolean {
  const stated = reader.get('reset_after');
  if (typeof stated === 'boolean') return stated;
  const rank = reader.context.biasRank(String(reader.layer.config.name));
  if (rank !== null) return rank === 2;
  if (reader.context.producer === 'tfjs') return false;
  throw new ValueError(
    `${reader.where} does not say 'reset_after' and has no bias to tell it from. Keras 3 defaults it to true, tfjs supports only false: ` +
      'add "reset_after" to the layer config in model.json.',
  );
}

function bidirectionalSpec(reader: ConfigReader): LayerSpec {
  const inner = asKerasLayer(reader.get('layer'), `${reader.where}: 'layer'`);
  if (!RECURRENT_CLASSES.includes(inner.class_name)) {
    throw new ValueError(
      `${reader.where} wraps a ${inner.class_name}; Recur reads Bidirectional LSTM, GRU or SimpleRNN.`,
    );
  }
  const mergeMode = reader.get('merge_mode') ?? 'concat';
  if (mergeMode === null)
    throw new ValueError(
      `${reader.where}: merge_mode null gives two outputs, which a Sequential model cannot pass on.`,
    );
  const backward = reader.get('backward_layer');
  if (
    backward !== undefined &&
    backward !== null &&
    asKerasLayer(backward, `${reader.where}: 'backward_layer'`).class_name !== inner.class_name
  ) {
    throw new ValueError(
      `${reader.where}: its backward layer is a different class than its forward layer; Recur mirrors the forward layer.`,
    );
  }
  const innerReader = new ConfigReader(inner, reader.context);
  const innerSpec = recurrentSpec(innerReader);
  innerReader.finish();
  // No name for the inner layer: Recur names the halves forward_<kind> / backward_<kind>.
  return { kind: 'Bidirectional', config: { layer: innerSpec, mergeMode } };
}

type LayerReader = (reader: ConfigReader, context: LayerConversionContext, name: string) => LayerSpec;

/** One reader per Keras layer class: the one place to add a layer this format can read. */
const LAYER_READERS: Readonly<Record<string, LayerReader>> = {
  Dense: (reader) => ({
    kind: 'Dense',
    config: {
      units: reader.number('units'),
      activation: reader.activation('activation', 'linear'),
      useBias: reader.boolean('use_bias', true),
      kernelInitializer: reader.initializer('kernel_initializer'),
      biasInitializer: reader.initializer('bias_initializer'),
    },
  }),
  Embedding: (reader) => ({
    kind: 'Embedding',
    config: {
      inputDim: reader.number('input_dim'),
      outputDim: reader.number('output_dim'),
      maskZero: reader.boolean('mask_zero', false),
      embeddingsInitializer: reader.initializer('embeddings_initializer'),
    },
  }),
  Dropout: (reader) => ({ kind: 'Dropout', config: { rate: reader.number('rate') } }),
  Activation: (reader) => ({ kind: 'Activation', config: { activation: reader.activation('activation') } }),
  Masking: (reader) => ({ kind: 'Masking', config: { maskValue: reader.number('mask_value', 0) } }),
  LSTM: (reader) => recurrentSpec(reader),
  GRU: (reader) => recurrentSpec(reader),
  SimpleRNN: (reader) => recurrentSpec(reader),
  Bidirectional: (reader) => bidirectionalSpec(reader),
  TimeDistributed: (reader, context, name) => {
    const inner = asKerasLayer(reader.get('layer'), `${reader.where}: 'layer'`);
    if (!['Dense', 'Activation', 'Dropout'].includes(inner.class_name)) {
      throw new ValueError(
        `${reader.where} wraps a ${inner.class_name}; Recur reads TimeDistributed around Dense, Activation or Dropout.`,
      );
    }
    context.notes.push(
      `${reader.where} is read as a ${inner.class_name} named '${name}' (same weights, applied at every step).`,
    );
    return kerasLayerToSpec(inner, context);
  },
};

/**
 * Converts one Keras / tfjs-layers layer (keys in snake_case) into a Recur layer spec carrying
 * every option explicitly, or throws naming the layer and what Recur cannot read.
 * TimeDistributed(Dense) becomes a Dense under the wrapper's name: Recur's Dense already
 * applies per time step, with the same weights and the same numbers.
 */
export function kerasLayerToSpec(layer: KerasLayerJson, context: LayerConversionContext): LayerSpec {
  const reader = new ConfigReader(layer, context);
  const name = String(layer.config.name ?? '');
  const read = Object.hasOwn(LAYER_READERS, layer.class_name) ? LAYER_READERS[layer.class_name] : undefined;
  if (read === undefined) {
    throw new ValueError(
      `Layer '${name}' is a ${layer.class_name}, which Recur cannot import. ` +
        'Supported: Embedding, LSTM, GRU, SimpleRNN, Bidirectional, Dense, Dropout, Activation, Masking, TimeDistributed(Dense).',
    );
  }
  const spec = read(reader, context, name);
  reader.finish();
  return { kind: spec.kind, config: { ...withoutUndefined(spec.config), name } };
}
