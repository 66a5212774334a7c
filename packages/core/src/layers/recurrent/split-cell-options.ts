import { checkLayerOptions } from '../../option-checks.js';
import { RNN_OPTION_NAMES, type RNNLayerOptions } from './rnn.js';

/**
 * Separates the options of a cell layer (LSTM, GRU, SimpleRNN: Keras's flat option set) into the
 * RNN driver's options and the cell's, rejecting unknown names against both lists.
 */
export function splitCellOptions<CellOptions>(
  kind: string,
  options: CellOptions & RNNLayerOptions,
  cellOptionNames: readonly string[],
): { layer: RNNLayerOptions; cell: CellOptions } {
  checkLayerOptions(kind, options, [...cellOptionNames, ...RNN_OPTION_NAMES]);
  const { returnSequences, returnState, goBackwards, useFusedKernel, name, inputShape, ...cell } = options;
  return {
    layer: { returnSequences, returnState, goBackwards, useFusedKernel, name, inputShape },
    cell: cell as CellOptions,
  };
}
