import type { RNN } from '@recur/core';
import { ONNX_PEEPHOLE_FROM_KERAS, kerasKernelToOnnx, reorderBlocks } from '../gate-order.js';
import type { RecurrentOperator } from '../recurrent-operators.js';
import type { LayerWeights } from './layer-weights.js';

/** The ONNX weight inputs of a recurrent node, directions stacked on the first axis. */
export interface OnnxRecurrentWeights {
  /** `[D, G*H, I]` */
  readonly W: Float32Array;
  /** `[D, G*H, H]` */
  readonly R: Float32Array;
  /** `[D, 2*G*H]` = [Wb, Rb] per direction, or null without bias. */
  readonly B: Float32Array | null;
  /** LSTM peepholes `[D, 3H]` (blocks i, o, f), or null. */
  readonly P: Float32Array | null;
  readonly inputSize: number;
}

/**
 * Stacks the directions' Keras weights into ONNX layout, reordering gate blocks with the
 * operator's table. The bias: a `[2, G*H]` Keras bias (GRU with resetAfter) holds the input
 * row and the recurrent row, which are exactly ONNX's Wb and Rb; a `[G*H]` bias (LSTM,
 * SimpleRNN, GRU without resetAfter) is all input-side, so it becomes Wb with Rb = 0 (for GRU
 * without resetAfter ONNX adds Rb_h outside the reset gate, as Keras adds its bias).
 */
export function onnxRecurrentWeights(
  halves: readonly RNN[],
  halfWeights: readonly LayerWeights[],
  operator: RecurrentOperator,
): OnnxRecurrentWeights {
  const units = halves[0].units;
  const block = operator.gates * units;
  const parts = halves.map((half, d) => {
    const weights = halfWeights[d];
    const kernel = weights.get('kernel');
    const recurrentKernel = weights.get('recurrent_kernel');
    const bias = half.cell.useBias ? weights.get('bias') : null;
    const peepholes = weights.has('peephole_kernel') ? weights.get('peephole_kernel') : null;
    const inputSize = kernel.shape[0];
    const B = new Float32Array(2 * block);
    if (bias !== null) {
      B.set(reorderBlocks(bias.data.subarray(0, block), units, operator.onnxFromKeras), 0);
      if (bias.shape.length === 2)
        B.set(reorderBlocks(bias.data.subarray(block, 2 * block), units, operator.onnxFromKeras), block);
    }
    return {
      inputSize,
      W: kerasKernelToOnnx(kernel.data, inputSize, units, operator.onnxFromKeras),
      R: kerasKernelToOnnx(recurrentKernel.data, units, units, operator.onnxFromKeras),
      B,
      P: peepholes === null ? null : reorderBlocks(peepholes.data, units, ONNX_PEEPHOLE_FROM_KERAS),
    };
  });
  const P = parts.map((part) => part.P);
  return {
    W: join(parts.map((part) => part.W)),
    R: join(parts.map((part) => part.R)),
    B: halves[0].cell.useBias ? join(parts.map((part) => part.B)) : null,
    P: P.every((vector) => vector !== null) ? join(P as Float32Array[]) : null,
    inputSize: parts[0].inputSize,
  };
}

function join(arrays: readonly Float32Array[]): Float32Array {
  const result = new Float32Array(arrays.reduce((total, array) => total + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    result.set(array, offset);
    offset += array.length;
  }
  return result;
}
