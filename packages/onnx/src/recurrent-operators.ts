import {
  KERAS_GRU_FROM_ONNX,
  KERAS_LSTM_FROM_ONNX,
  KERAS_RNN_FROM_ONNX,
  ONNX_GRU_FROM_KERAS,
  ONNX_LSTM_FROM_KERAS,
  ONNX_RNN_FROM_KERAS,
} from './gate-order.js';

export type RecurrentOpType = 'LSTM' | 'GRU' | 'RNN';

/**
 * What the exporter and importer need to know about one ONNX recurrent operator and the Recur
 * layer it corresponds to. The three operators share their inputs (X, W, R, B, sequence_lens,
 * initial_h; LSTM adds initial_c and P) and outputs (Y, Y_h; LSTM adds Y_c), so one node
 * builder and one importer serve all three, parameterised by this table.
 */
export interface RecurrentOperator {
  readonly opType: RecurrentOpType;
  /** The Recur layer (`kind` in a model spec) and its cell. */
  readonly layerKind: 'LSTM' | 'GRU' | 'SimpleRNN';
  readonly cellKind: 'LSTMCell' | 'GRUCell' | 'SimpleRNNCell';
  /** Gate blocks G in W `[G*H, I]`. */
  readonly gates: number;
  readonly onnxFromKeras: readonly number[];
  readonly kerasFromOnnx: readonly number[];
  /** State names, as in `state_in.<layer>.<name>`: the node's initial_h (, initial_c) inputs and Y_h (, Y_c) outputs. */
  readonly states: readonly ('h' | 'c')[];
  /**
   * ONNX's default activations of one direction: LSTM f (gates), g (candidate), h (output);
   * GRU f (gates), g (candidate); RNN f.
   */
  readonly defaultActivations: readonly string[];
}

export const RECURRENT_OPERATORS: Readonly<Record<RecurrentOpType, RecurrentOperator>> = {
  LSTM: {
    opType: 'LSTM',
    layerKind: 'LSTM',
    cellKind: 'LSTMCell',
    gates: 4,
    onnxFromKeras: ONNX_LSTM_FROM_KERAS,
    kerasFromOnnx: KERAS_LSTM_FROM_ONNX,
    states: ['h', 'c'],
    defaultActivations: ['Sigmoid', 'Tanh', 'Tanh'],
  },
  GRU: {
    opType: 'GRU',
    layerKind: 'GRU',
    cellKind: 'GRUCell',
    gates: 3,
    onnxFromKeras: ONNX_GRU_FROM_KERAS,
    kerasFromOnnx: KERAS_GRU_FROM_ONNX,
    states: ['h'],
    defaultActivations: ['Sigmoid', 'Tanh'],
  },
  RNN: {
    opType: 'RNN',
    layerKind: 'SimpleRNN',
    cellKind: 'SimpleRNNCell',
    gates: 1,
    onnxFromKeras: ONNX_RNN_FROM_KERAS,
    kerasFromOnnx: KERAS_RNN_FROM_ONNX,
    states: ['h'],
    defaultActivations: ['Tanh'],
  },
};

/** The operator for a Recur cell kind, or undefined for cells ONNX has no operator for. */
export function operatorOfCell(cellKind: string): RecurrentOperator | undefined {
  return Object.values(RECURRENT_OPERATORS).find((operator) => operator.cellKind === cellKind);
}

export function isRecurrentOpType(opType: string): opType is RecurrentOpType {
  return Object.hasOwn(RECURRENT_OPERATORS, opType);
}
