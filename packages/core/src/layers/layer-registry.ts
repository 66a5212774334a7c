import { ValueError } from '../errors.js';
import { Activation } from './activation.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { Masking } from './masking.js';
import { TimeDistributed } from './time-distributed.js';
import type { Layer, LayerSpec } from './layer.js';
import { Bidirectional } from './recurrent/bidirectional.js';
import { LSTM } from './recurrent/lstm.js';
import { LSTMCell } from './recurrent/lstm-cell.js';
import { GRU } from './recurrent/gru.js';
import { GRUCell } from './recurrent/gru-cell.js';
import { SimpleRNN } from './recurrent/simple-rnn.js';
import { SimpleRNNCell } from './recurrent/simple-rnn-cell.js';
import type { RecurrentCell } from './recurrent/recurrent-cell.js';
import { RNN } from './recurrent/rnn.js';

/**
 * The table from spec names to classes, used to rebuild a model from its JSON spec. It is a
 * plain table consulted on load, not a registry filled by import side effects.
 */
const layerConstructors: Record<string, (config: Record<string, unknown>) => Layer> = {
  Dense: (config) => new Dense(config as never),
  Embedding: (config) => new Embedding(config as never),
  Dropout: (config) => new Dropout(config as never),
  Activation: (config) => new Activation(config as never),
  Masking: (config) => new Masking(config as never),
  TimeDistributed: (config) =>
    new TimeDistributed({ ...config, layer: layerFromSpec(config.layer as LayerSpec) } as never),
  LSTM: (config) => new LSTM(config as never),
  GRU: (config) => new GRU(config as never),
  SimpleRNN: (config) => new SimpleRNN(config as never),
  RNN: (config) => new RNN({ ...config, cell: cellFromSpec(config.cell as LayerSpec) } as never),
  Bidirectional: (config) => new Bidirectional({ ...config, layer: layerFromSpec(config.layer as LayerSpec) } as never),
};

const cellConstructors: Record<string, (config: Record<string, unknown>) => RecurrentCell> = {
  LSTMCell: (config) => new LSTMCell(config as never),
  GRUCell: (config) => new GRUCell(config as never),
  SimpleRNNCell: (config) => new SimpleRNNCell(config as never),
};

/** Rebuilds a layer from its spec, with a clear error for kinds this version does not know. */
export function layerFromSpec(spec: LayerSpec): Layer {
  const make = spec !== null && typeof spec === 'object' ? layerConstructors[spec.kind] : undefined;
  if (make === undefined) {
    throw new ValueError(
      `Unknown layer kind ${JSON.stringify(spec?.kind)} in the model spec. Known kinds: ${Object.keys(layerConstructors).join(', ')}.`,
    );
  }
  const config = Object.fromEntries(Object.entries(spec.config ?? {}).filter(([, value]) => value !== undefined));
  return make(config);
}

export function cellFromSpec(spec: LayerSpec): RecurrentCell {
  const make = spec !== null && typeof spec === 'object' ? cellConstructors[spec.kind] : undefined;
  if (make === undefined) {
    throw new ValueError(
      `Unknown cell kind ${JSON.stringify(spec?.kind)}. Known cells: ${Object.keys(cellConstructors).join(', ')}.`,
    );
  }
  return make(spec.config ?? {});
}
