import {
  Embedding,
  ShapeError,
  ValueError,
  formatShape,
  toTensorData,
  type DataLike,
  type Sequential,
  type TensorData,
} from '@recur/core';
import type { GraphSignature } from './graph-signature.js';

/** A whole batch of sequences (`predict`) or one time step of a batch (`stream().step`). */
export type InputKind = 'sequence' | 'step';

/**
 * Checks user data against the graph input and returns it in the graph's layout, with the
 * messages core gives for the same mistakes. A step `[N, ...features]` gains a time axis of 1.
 * Token ids are range-checked here because ONNX `Gather` reads negative ids from the end of the
 * table instead of refusing them, and padding ids are refused in stream steps (see below).
 *
 * @example
 * const feed = toGraphInput([[3, 1, 4]], signature, model, 'sequence'); // int32 [1, 3]
 */
export function toGraphInput(
  x: DataLike,
  signature: GraphSignature,
  structure: Sequential | null,
  kind: InputKind,
): TensorData {
  const what = kind === 'sequence' ? 'x' : 'step input';
  const data = toTensorData(x, signature.input.dtype, what);
  const expected = kind === 'sequence' ? signature.input.shape : signature.input.shape.filter((_, axis) => axis !== 1);
  if (
    data.shape.length !== expected.length ||
    expected.some((dimension, axis) => dimension !== null && dimension !== data.shape[axis])
  ) {
    const name = structure?.name ?? 'ONNX';
    throw new ShapeError(
      kind === 'sequence'
        ? `Model '${name}' expects input of shape ${formatShape(expected)} (batch first) but got ${formatShape(data.shape)}.`
        : `A step of model '${name}' has shape ${formatShape(expected)} (one time step of a batch), got ${formatShape(data.shape)}.`,
    );
  }
  const first = structure?.layers[0];
  if (first instanceof Embedding) {
    for (let k = 0; k < data.values.length; k++) {
      const id = data.values[k];
      if (id < 0 || id >= first.inputDim) {
        throw new ValueError(
          `Layer '${first.name}' (Embedding, inputDim ${first.inputDim}): index ${id} (at position ${k}) is outside [0, ${first.inputDim - 1}]: the table has ${first.inputDim} rows.`,
        );
      }
      // The export turns padding ids into sequence_lens; a one-step sequence of length 0 makes
      // ONNX Runtime return a zero state, which would silently erase the carried state.
      if (kind === 'step' && first.maskZero && id === 0) {
        throw new ValueError(
          `Layer '${first.name}' (Embedding, maskZero): a stream step cannot feed the padding id 0 (at position ${k}); feed only real tokens, or reset() and start a new stream.`,
        );
      }
    }
  }
  return kind === 'sequence' ? data : { shape: [data.shape[0], 1, ...data.shape.slice(1)], values: data.values };
}
