import {
  ValueError,
  type Bidirectional,
  type InitializerSpec,
  type Layer,
  type LayerActivation,
  type RNN,
  type TensorData,
  type TimeDistributed,
} from '@recur/core';
import { activationToKeras } from './keras-activation.js';
import { initializerToKeras } from './keras-initializer.js';
import type { KerasLayerJson } from './keras-layer-json.js';

/** A layer as tfjs-layers serialises it, plus its weights under the names tfjs will look for. */
export interface KerasLayerExport {
  readonly layer: KerasLayerJson;
  readonly weights: [string, TensorData][];
}

const RECURRENT_CLASS: Record<string, string> = { LSTMCell: 'LSTM', GRUCell: 'GRU', SimpleRNNCell: 'SimpleRNN' };

/** The config of a recurrent layer with every option written out, so no tfjs default applies. */
function recurrentConfig(layer: RNN, name: string, where: string): KerasLayerJson {
  const className = RECURRENT_CLASS[layer.cell.kind];
  if (className === undefined)
    throw new ValueError(`${where}: its cell ${layer.cell.kind} has no tfjs-layers counterpart.`);
  const cell = layer.cell.config();
  if (className === 'GRU' && cell.resetAfter === true) {
    throw new ValueError(
      `${where} is a GRU with resetAfter: true (Keras 3's default), which tfjs-layers does not implement. ` +
        'Build the GRU with resetAfter: false to open it in tfjs.',
    );
  }
  if (cell.peephole === true) {
    throw new ValueError(
      `${where} is an LSTM with peepholes, which tfjs-layers does not implement; export it to ONNX instead.`,
    );
  }
  const config: Record<string, unknown> = {
    name,
    trainable: true,
    units: cell.units,
    activation: activationToKeras(cell.activation as LayerActivation, where),
    use_bias: cell.useBias,
    kernel_initializer: initializerToKeras(cell.kernelInitializer as InitializerSpec),
    recurrent_initializer: initializerToKeras(cell.recurrentInitializer as InitializerSpec),
    bias_initializer: initializerToKeras(cell.biasInitializer as InitializerSpec),
    dropout: cell.dropout,
    recurrent_dropout: cell.recurrentDropout,
    return_sequences: layer.returnSequences,
    // In a Sequential model only the output flows on; tfjs would pass the states on too.
    return_state: false,
    go_backwards: layer.goBackwards,
    stateful: false,
    unroll: false,
  };
  if (className !== 'SimpleRNN')
    config.recurrent_activation = activationToKeras(cell.recurrentActivation as LayerActivation, where);
  if (className === 'LSTM') config.unit_forget_bias = cell.unitForgetBias;
  if (className === 'GRU') config.reset_after = false;
  return { class_name: className, config };
}

/** `lstm/kernel` -> `kernel`. */
function shortName(variableName: string): string {
  return variableName.slice(variableName.lastIndexOf('/') + 1);
}

/** What every writer needs besides the layer: the error prefix, its spec config, its name and its own weights. */
interface LayerWriting {
  readonly where: string;
  readonly config: Record<string, unknown>;
  readonly base: { readonly name: string; readonly trainable: true };
  readonly ownWeights: () => [string, TensorData][];
}

type LayerWriter = (layer: Layer, writing: LayerWriting) => KerasLayerExport;

const writeRecurrent: LayerWriter = (layer, { where, ownWeights }) => ({
  layer: recurrentConfig(layer as RNN, layer.name, where),
  weights: ownWeights(),
});

/**
 * One writer per Recur layer kind: the one place to add a layer this format can hold. A
 * generic `RNN` is written as the Keras class of its cell.
 */
const LAYER_WRITERS: Readonly<Record<string, LayerWriter>> = {
  Dense: (_layer, { where, config, base, ownWeights }) => ({
    layer: {
      class_name: 'Dense',
      config: {
        ...base,
        units: config.units,
        activation: activationToKeras(config.activation as LayerActivation, where),
        use_bias: config.useBias,
        kernel_initializer: initializerToKeras(config.kernelInitializer as InitializerSpec),
        bias_initializer: initializerToKeras(config.biasInitializer as InitializerSpec),
      },
    },
    weights: ownWeights(),
  }),
  Embedding: (_layer, { config, base, ownWeights }) => ({
    layer: {
      class_name: 'Embedding',
      config: {
        ...base,
        input_dim: config.inputDim,
        output_dim: config.outputDim,
        mask_zero: config.maskZero,
        embeddings_initializer: initializerToKeras(config.embeddingsInitializer as InitializerSpec),
      },
    },
    weights: ownWeights(),
  }),
  Dropout: (_layer, { config, base }) => ({
    layer: { class_name: 'Dropout', config: { ...base, rate: config.rate } },
    weights: [],
  }),
  Activation: (_layer, { where, config, base }) => ({
    layer: {
      class_name: 'Activation',
      config: { ...base, activation: activationToKeras(config.activation as LayerActivation, where) },
    },
    weights: [],
  }),
  Masking: (_layer, { config, base }) => ({
    layer: { class_name: 'Masking', config: { ...base, mask_value: config.maskValue } },
    weights: [],
  }),
  TimeDistributed: (layer, { base }) => {
    const inner = layerToKeras((layer as TimeDistributed).layer);
    // tfjs names the wrapped layer's weights after the wrapper: `time_distributed/kernel`.
    const innerName = shortName(inner.layer.config.name as string);
    return {
      layer: {
        class_name: 'TimeDistributed',
        config: { ...base, layer: { ...inner.layer, config: { ...inner.layer.config, name: innerName } } },
      },
      weights: inner.weights.map(([name, data]) => [`${layer.name}/${shortName(name)}`, data]),
    };
  },
  Bidirectional: (layer, { where, base, ownWeights }) => {
    const bidirectional = layer as Bidirectional;
    // Recur names the halves `<name>/forward_<inner>`; tfjs names them `forward_<inner>` inside `<name>`.
    const innerName = bidirectional.forward.name.slice(`${layer.name}/forward_`.length);
    if (bidirectional.mergeMode === null)
      throw new ValueError(`${where}: mergeMode null has no place in a Sequential model.`);
    return {
      layer: {
        class_name: 'Bidirectional',
        config: {
          ...base,
          merge_mode: bidirectional.mergeMode,
          layer: recurrentConfig(bidirectional.forward, innerName, where),
        },
      },
      weights: ownWeights(),
    };
  },
  LSTM: writeRecurrent,
  GRU: writeRecurrent,
  SimpleRNN: writeRecurrent,
  RNN: writeRecurrent,
};

/**
 * Serialises one built Recur layer the way tfjs-layers writes it (snake_case keys, every
 * option explicit), refusing what tfjs computes differently: hard_sigmoid (tfjs: 0.2x + 0.5,
 * Recur: x / 6 + 0.5) and GRU resetAfter: true.
 */
export function layerToKeras(layer: Layer): KerasLayerExport {
  const where = `Layer '${layer.name}' (${layer.kind})`;
  const write = Object.hasOwn(LAYER_WRITERS, layer.kind) ? LAYER_WRITERS[layer.kind] : undefined;
  if (write === undefined) throw new ValueError(`${where} has no tfjs-layers counterpart that Recur can write.`);
  const ownWeights = (): [string, TensorData][] =>
    layer.weights.map((variable) => [variable.name, { shape: [...variable.shape], values: variable.value.read() }]);
  return write(layer, { where, config: layer.spec().config, base: { name: layer.name, trainable: true }, ownWeights });
}
