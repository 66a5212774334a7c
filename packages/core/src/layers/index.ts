export {
  Layer,
  type BaseLayerOptions,
  type CallContext,
  type LayerSpec,
  type SymbolicShape,
  type WeightSpec,
} from './layer.js';
export { Dense, type DenseOptions } from './dense.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
export { Dropout, dropoutMask, type DropoutOptions } from './dropout.js';
export { Activation, type ActivationOptions } from './activation.js';
export { Masking, type MaskingOptions } from './masking.js';
export { TimeDistributed, type TimeDistributedOptions } from './time-distributed.js';
export type { LayerActivation } from './activations.js';
export { LSTMCell, type LSTMCellOptions } from './recurrent/lstm-cell.js';
export { LSTM, type LSTMOptions } from './recurrent/lstm.js';
export { GRUCell, type GRUCellOptions } from './recurrent/gru-cell.js';
export { GRU, type GRUOptions } from './recurrent/gru.js';
export { SimpleRNNCell, type SimpleRNNCellOptions } from './recurrent/simple-rnn-cell.js';
export { SimpleRNN, type SimpleRNNOptions } from './recurrent/simple-rnn.js';
export {
  RNN,
  type RNNOptions,
  type RNNLayerOptions,
  type RecurrentRunOptions,
  type RecurrentRunResult,
} from './recurrent/rnn.js';
export {
  Bidirectional,
  type BidirectionalOptions,
  type BidirectionalRunResult,
  type MergeMode,
} from './recurrent/bidirectional.js';
export type { RecurrentCell, CellWeights } from './recurrent/recurrent-cell.js';
export type { FusedKernelChoice } from './recurrent/run-sequence.js';
export { layerFromSpec, cellFromSpec } from './layer-registry.js';
