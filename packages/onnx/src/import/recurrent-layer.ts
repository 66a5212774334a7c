import { GRU, LSTM, SimpleRNN, type RNN } from '@recur/core';
import type { RecurrentDirection, RecurrentNodeDescription } from './recurrent-node-description.js';

/**
 * An unbuilt Recur LSTM, GRU or SimpleRNN layer computing one direction of an ONNX recurrent
 * node: its units, activations, GRU variant and LSTM peepholes. The weights come separately
 * (`direction.weights`, in Keras layout).
 */
export function recurrentLayer(
  description: RecurrentNodeDescription,
  direction: RecurrentDirection,
  options: { readonly returnSequences: boolean; readonly name?: string },
): RNN {
  const common = {
    units: description.units,
    activation: direction.activation,
    goBackwards: direction.goBackwards,
    ...options,
  };
  const { recurrentActivation } = direction;
  switch (description.operator.opType) {
    case 'LSTM':
      return new LSTM({ ...common, recurrentActivation, peephole: description.peephole });
    case 'GRU':
      return new GRU({ ...common, recurrentActivation, resetAfter: description.resetAfter });
    case 'RNN':
      return new SimpleRNN(common);
  }
}
