import { SimpleRNNCell, SIMPLE_RNN_CELL_OPTION_NAMES, type SimpleRNNCellOptions } from './simple-rnn-cell.js';
import { RNN, type RNNLayerOptions } from './rnn.js';
import { splitCellOptions } from './split-cell-options.js';

export interface SimpleRNNOptions extends SimpleRNNCellOptions, RNNLayerOptions {}

/**
 * Fully connected recurrent layer (Keras SimpleRNN), tanh or relu.
 *
 * @example
 * new SimpleRNN({ units: 32, activation: 'relu', inputShape: [20, 8] })
 */
export class SimpleRNN extends RNN {
  override readonly kind = 'SimpleRNN';

  constructor(options: SimpleRNNOptions) {
    const { layer, cell } = splitCellOptions('SimpleRNN', options, SIMPLE_RNN_CELL_OPTION_NAMES);
    super({ ...layer, cell: new SimpleRNNCell(cell) });
  }
}
