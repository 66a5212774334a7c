import { LSTMCell, LSTM_CELL_OPTION_NAMES, type LSTMCellOptions } from './lstm-cell.js';
import { RNN, type RNNLayerOptions } from './rnn.js';
import { splitCellOptions } from './split-cell-options.js';

export interface LSTMOptions extends LSTMCellOptions, RNNLayerOptions {}

/**
 * Long short-term memory layer (Keras LSTM): an RNN over an LSTMCell, with Keras 3 defaults
 * (sigmoid gates, glorot_uniform kernel, orthogonal recurrent kernel, unit forget bias).
 *
 * @example
 * new LSTM({ units: 128, returnSequences: true, inputShape: [40, 64] })
 */
export class LSTM extends RNN {
  override readonly kind = 'LSTM';

  constructor(options: LSTMOptions) {
    const { layer, cell } = splitCellOptions('LSTM', options, LSTM_CELL_OPTION_NAMES);
    super({ ...layer, cell: new LSTMCell(cell) });
  }
}
