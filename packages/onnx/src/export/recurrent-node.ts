import { Bidirectional, GRUCell, LSTMCell, type RNN, SimpleRNNCell, type RecurrentCell } from '@recur/core';
import { OnnxUnsupportedError } from '../onnx-errors.js';
import { activationLists, onnxActivationOf, type OnnxRecurrentActivation } from '../recurrent-activations.js';
import { operatorOfCell } from '../recurrent-operators.js';
import { attribute } from './attributes.js';
import type { GraphBuilder } from './graph-builder.js';
import type { LayerWeights } from './layer-weights.js';
import { onnxRecurrentWeights } from './recurrent-weights.js';

/** Where a recurrent layer reads its input and writes its output. */
export interface RecurrentExportInput {
  /** The input sequence, time-major `[T, N, F]` as the operators take it (`layout = 0`). */
  readonly input: string;
  /** int32 `[N]` lengths from Embedding(maskZero) or Masking, or null when there is no mask. */
  readonly sequenceLens: string | null;
  /** Add `state_in.<layer>.h` (and `.c` for LSTM) graph inputs and `state_out.<layer>.*` graph outputs. */
  readonly exposeState: boolean;
  /**
   * Return a returned sequence time-major, `[T, N, D*H]`, for another recurrent layer further on,
   * instead of batch first, `[N, T, D*H]`, Recur's layout.
   */
  readonly sequenceTimeMajor: boolean;
}

/** A negative-step Slice end before index 0 for any length (Slice clamps it to -1, i.e. past the start). */
const BEFORE_START = -2147483648;

/**
 * One ONNX `LSTM`, `GRU` or `RNN` node for an LSTM, GRU or SimpleRNN layer or a Bidirectional
 * of one, never an unrolled loop, with the layout plumbing around it:
 *
 * - The node uses `layout = 0` (ONNX Runtime's CPU kernels refuse `layout = 1`): X comes in
 *   time-major `[T, N, F]`. Y `[T, D, N, H]` goes out as `[T, N, D*H]` for a following recurrent
 *   layer (one direction: a Squeeze, no copy), else batch first `[N, T, D*H]`. Y_h `[D, N, H]`
 *   becomes `[N, D*H]` (one direction: a Squeeze).
 * - Weights go from Keras layout to ONNX with the operator's gate table (LSTM i, f, c, o ->
 *   i, o, f, c; GRU z, r, h unchanged); see onnxRecurrentWeights for the bias. GRU writes
 *   `linear_before_reset = resetAfter ? 1 : 0`.
 * - `goBackwards` is `direction = reverse`. ONNX returns the reverse direction in original
 *   time order, Keras returns the processed (reversed) order, so a returned sequence is
 *   flipped with a negative-step Slice. Bidirectional's backward half is flipped back by
 *   Keras itself, which is exactly ONNX's order: no flip there.
 * - returnSequences false returns Y_h: the state after the last processed step, which with
 *   `sequence_lens` is the last valid step, as Recur's masked layers give.
 * - Non-default activations are written explicitly, hard sigmoid with alpha 1/6, beta 0.5.
 */
export function recurrentNode(
  builder: GraphBuilder,
  layer: RNN | Bidirectional,
  weights: LayerWeights,
  io: RecurrentExportInput,
): string {
  const halves = layer instanceof Bidirectional ? [layer.forward, layer.backward] : [layer];
  // A Bidirectional's halves are named `<bidirectional>/forward_<inner>` (set by its weightSpecs).
  const halfWeights =
    layer instanceof Bidirectional
      ? halves.map((half) => weights.inner(half.name.slice(layer.name.length + 1)))
      : [weights];
  if (layer instanceof Bidirectional && layer.forward.goBackwards) {
    throw new OnnxUnsupportedError(
      `Layer '${layer.name}' (Bidirectional): an inner layer with goBackwards: true has no ONNX equivalent; wrap a forward layer.`,
    );
  }
  const operator = operatorOfCell(halves[0].cell.kind);
  if (operator === undefined) {
    throw new OnnxUnsupportedError(
      `Layer '${layer.name}' (${halves[0].kind}): ONNX has no operator for a ${halves[0].cell.kind}; export LSTM, GRU or SimpleRNN layers.`,
    );
  }
  const name = layer.name;
  const directions = halves.length;
  const direction = directions === 2 ? 'bidirectional' : halves[0].goBackwards ? 'reverse' : 'forward';
  const units = halves[0].units;
  const block = operator.gates * units;
  const { W, R, B, P, inputSize } = onnxRecurrentWeights(halves, halfWeights, operator);
  const w = builder.initializer(`${name}/W`, { dtype: 'float32', shape: [directions, block, inputSize], data: W });
  const r = builder.initializer(`${name}/R`, { dtype: 'float32', shape: [directions, block, units], data: R });
  const b =
    B === null ? '' : builder.initializer(`${name}/B`, { dtype: 'float32', shape: [directions, 2 * block], data: B });
  const p =
    P === null ? [] : [builder.initializer(`${name}/P`, { dtype: 'float32', shape: [directions, 3 * units], data: P })];

  const stateShape = [directions, 'batch', units];
  const stateIn = operator.states.map((state) =>
    io.exposeState ? builder.input(`state_in.${name}.${state}`, 'float32', stateShape) : '',
  );
  const stateOut = io.exposeState
    ? operator.states.map((state) => builder.reserveOutput(`state_out.${name}.${state}`))
    : null;
  const returnSequences = halves[0].returnSequences;

  const attributes = [
    attribute.int('hidden_size', units),
    attribute.string('direction', direction),
    attribute.int('layout', 0),
  ];
  if (halves[0].cell instanceof GRUCell)
    attributes.push(attribute.int('linear_before_reset', halves[0].cell.resetAfter ? 1 : 0));
  const activations = halves.flatMap((half) => cellActivations(half.cell));
  const defaults = operator.defaultActivations;
  if (activations.some((activation, k) => activation.name !== defaults[k % defaults.length])) {
    const lists = activationLists(activations);
    attributes.push(attribute.strings('activations', lists.names));
    if (lists.alphas.length > 0) attributes.push(attribute.floats('activation_alpha', lists.alphas));
    if (lists.betas.length > 0) attributes.push(attribute.floats('activation_beta', lists.betas));
  }
  const stateOutputs = operator.states.map((_, k) =>
    stateOut !== null ? { exact: stateOut[k] } : k === 0 && !returnSequences ? `${name}/Y_h` : null,
  );
  const [y, yH] = builder.node(
    operator.opType,
    `${name}/${operator.opType}`,
    [io.input, w, r, b, io.sequenceLens ?? '', ...stateIn, ...p],
    [returnSequences ? `${name}/Y` : null, ...stateOutputs],
    attributes,
  );
  if (stateOut !== null) for (const state of stateOut) builder.output(state, 'float32', stateShape);

  if (returnSequences) return sequenceOutput(builder, layer, y, direction === 'reverse', io.sequenceTimeMajor);
  return mergeDirections(builder, layer, yH, 0);
}

/** Y `[T, D, N, H]` as Recur's sequence output: `[T, N, D*H]` when `timeMajor`, else `[N, T, D*H]`. */
function sequenceOutput(
  builder: GraphBuilder,
  layer: RNN | Bidirectional,
  y: string,
  reverse: boolean,
  timeMajor: boolean,
): string {
  const name = layer.name;
  if (!timeMajor && layer instanceof Bidirectional && layer.mergeMode === 'concat') {
    // One Transpose to [N, T, D, H] both puts batch first and brings the directions next to the units, which Reshape then joins.
    const batchFirst = builder.node(
      'Transpose',
      `${name}/Transpose_output`,
      [y],
      [`${name}/Y_batch_first`],
      [attribute.ints('perm', [2, 0, 1, 3])],
    )[0];
    return builder.node('Reshape', `${name}/Reshape`, [batchFirst, builder.int64s([0, 0, -1])], [`${name}/output`])[0];
  }
  let output = mergeDirections(builder, layer, y, 1);
  // Keras's goBackwards returns the sequence in processing order: flip the time axis (axis 0 here, still time-major).
  if (reverse) {
    output = builder.node(
      'Slice',
      `${name}/Slice_reverse`,
      [output, builder.int64s([-1]), builder.int64s([BEFORE_START]), builder.int64s([0]), builder.int64s([-1])],
      [`${name}/reversed`],
    )[0];
  }
  if (timeMajor) return output;
  return builder.node(
    'Transpose',
    `${name}/Transpose_output`,
    [output],
    [`${name}/batch_first`],
    [attribute.ints('perm', [1, 0, 2])],
  )[0];
}

/**
 * Merges the direction axis `axis` of a recurrent output (Y `[T, D, N, H]`: 1; Y_h `[D, N, H]`:
 * 0) into the features, the other axes kept in order: `[T, N, D*H]` or `[N, D*H]`. One direction
 * is a Squeeze; Bidirectional concat moves the directions next to the units (Transpose) and joins
 * them (Reshape); sum, mul and ave reduce over the direction axis.
 */
function mergeDirections(builder: GraphBuilder, layer: RNN | Bidirectional, value: string, axis: 0 | 1): string {
  const name = layer.name;
  if (!(layer instanceof Bidirectional))
    return builder.node('Squeeze', `${name}/Squeeze`, [value, builder.int64s([axis])], [`${name}/output`])[0];
  switch (layer.mergeMode) {
    case 'concat': {
      const perm = axis === 1 ? [0, 2, 1, 3] : [1, 0, 2];
      const directionsLast = builder.node(
        'Transpose',
        `${name}/Transpose_directions`,
        [value],
        [`${name}/directions_last`],
        [attribute.ints('perm', perm)],
      )[0];
      return builder.node(
        'Reshape',
        `${name}/Reshape`,
        [directionsLast, builder.int64s(axis === 1 ? [0, 0, -1] : [0, -1])],
        [`${name}/output`],
      )[0];
    }
    case 'sum':
      return builder.node(
        'ReduceSum',
        `${name}/ReduceSum`,
        [value, builder.int64s([axis])],
        [`${name}/output`],
        [attribute.int('keepdims', 0)],
      )[0];
    case 'mul':
      return builder.node(
        'ReduceProd',
        `${name}/ReduceProd`,
        [value],
        [`${name}/output`],
        [attribute.ints('axes', [axis]), attribute.int('keepdims', 0)],
      )[0];
    case 'ave':
      return builder.node(
        'ReduceMean',
        `${name}/ReduceMean`,
        [value],
        [`${name}/output`],
        [attribute.ints('axes', [axis]), attribute.int('keepdims', 0)],
      )[0];
    case null:
      throw new OnnxUnsupportedError(
        `Layer '${name}' (Bidirectional) with mergeMode null has two outputs; a Sequential model cannot hold it.`,
      );
  }
}

/** One direction's ONNX activations: LSTM f, g, h; GRU f, g; RNN f (see RecurrentOperator.defaultActivations). */
function cellActivations(cell: RecurrentCell): OnnxRecurrentActivation[] {
  if (cell instanceof LSTMCell)
    return [
      onnxActivationOf(cell.recurrentActivation),
      onnxActivationOf(cell.activation),
      onnxActivationOf(cell.activation),
    ];
  if (cell instanceof GRUCell) return [onnxActivationOf(cell.recurrentActivation), onnxActivationOf(cell.activation)];
  if (cell instanceof SimpleRNNCell) return [onnxActivationOf(cell.activation)];
  throw new OnnxUnsupportedError(`A ${cell.kind} has no ONNX recurrent operator.`);
}
