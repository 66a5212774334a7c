import { GRUCell, GRU_CELL_OPTION_NAMES, type GRUCellOptions } from './gru-cell.js';
import { RNN, type RNNLayerOptions } from './rnn.js';
import { splitCellOptions } from './split-cell-options.js';

export interface GRUOptions extends GRUCellOptions, RNNLayerOptions {}

/**
 * Gated recurrent unit layer (Keras GRU) with Keras 3 defaults, including `resetAfter: true`
 * (tfjs only has `resetAfter: false`; set it explicitly when matching tfjs or Keras 2).
 *
 * @example
 * new GRU({ units: 64, returnSequences: true, inputShape: [50, 1] })
 */
export class GRU extends RNN {
  override readonly kind = 'GRU';

  constructor(options: GRUOptions) {
    const { layer, cell } = splitCellOptions('GRU', options, GRU_CELL_OPTION_NAMES);
    super({ ...layer, cell: new GRUCell(cell) });
  }
}
