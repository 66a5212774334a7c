import type {
  FusedSequenceKernel,
  RecurrentCellConfig,
  SequenceInputGrads,
  SequenceInputs,
  SequenceOutputGrads,
  SequenceOutputs,
  TensorInfo,
} from '@recur/core';
import { floatValuesOf, makeTensor } from '../tensor-storage.js';
import { activateInPlace, isActivationName, multiplyByDerivative } from './activation.js';
import { denseView, gemm, type GemmContext } from './gemm.js';
import { isSkipped, readSequenceGradients, readSequenceInputs, type SequenceLayout } from './sequence-inputs.js';
import { addHiddenGradient, linearCellGradients, projectInputs, stepRows } from './sequence-projection.js';

/**
 * The fused whole-sequence SimpleRNN (Keras layout: kernel [I, H], recurrent kernel [H, H],
 * bias [H]) with its backward pass. Per time step t and sample, with row vectors:
 *   z  = x_t · kernel + h · recurrentKernel + bias
 *   h' = act(z)
 * A step whose mask is 0 is skipped: h is carried unchanged and its output is 0.
 *
 * Same plan as the LSTM (see sequence-projection.ts): one GEMM for the input projection of
 * all N*T rows, one small GEMM per step, one GEMM per weight gradient at the end, and no
 * allocation per time step. Backward reads act(z) from the returned sequence itself, which
 * equals h' at every processed step (the only steps it differentiates).
 */

/** Indices into `SequenceOutputs.saved` (what backward needs). */
const SAVED_PRE_ACTIVATIONS = 0; // z, [N, T, H]
const SAVED_PREVIOUS_HIDDEN = 1; // h entering each step, [N, T, H]
const SAVED_COUNT = 2;

/** SimpleRNN has no gates, so only `activation` matters. */
function supports(config: RecurrentCellConfig): boolean {
  return isActivationName(config.activation);
}

const SIMPLE_RNN_LAYOUT: SequenceLayout = { layer: 'SimpleRNN', gates: 1, states: ['h'], supports, biasRows: () => 1 };

function forward(context: GemmContext, config: RecurrentCellConfig, inputs: SequenceInputs): SequenceOutputs {
  const arrays = readSequenceInputs(SIMPLE_RNN_LAYOUT, config, inputs);
  const { batch: N, steps: T, units: H, rows, recurrentKernel, mask } = arrays;
  const act = config.activation;

  const z = projectInputs(context, arrays, H, arrays.bias);
  const previousHidden = new Float32Array(rows * H);
  const sequence = new Float32Array(rows * H);
  const h = Float32Array.from(arrays.initialState[0]);

  const hiddenView = denseView(h, H);
  const recurrentView = denseView(recurrentKernel, H);
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) previousHidden.set(h.subarray(n * H, n * H + H), (n * T + t) * H);
    // z rows of step t += h · recurrentKernel, in place.
    gemm(context, N, H, H, hiddenView, recurrentView, z, t * H, T * H, true);
    for (let n = 0; n < N; n++) {
      const row = n * T + t;
      if (isSkipped(mask, row)) continue;
      const offset = row * H;
      sequence.set(z.subarray(offset, offset + H), offset);
      activateInPlace(act, sequence, offset, H);
      h.set(sequence.subarray(offset, offset + H), n * H);
    }
  }

  const saved: TensorInfo[] = [];
  saved[SAVED_PRE_ACTIVATIONS] = makeTensor(z, [N, T, H], 'float32');
  saved[SAVED_PREVIOUS_HIDDEN] = makeTensor(previousHidden, [N, T, H], 'float32');
  return {
    sequence: makeTensor(sequence, [N, T, H], 'float32'),
    finalState: [makeTensor(h, [N, H], 'float32')],
    saved,
  };
}

function backward(
  context: GemmContext,
  config: RecurrentCellConfig,
  inputs: SequenceInputs,
  outputs: SequenceOutputs,
  grads: SequenceOutputGrads,
): SequenceInputGrads {
  const arrays = readSequenceInputs(SIMPLE_RNN_LAYOUT, config, inputs);
  const { batch: N, steps: T, units: H, rows, mask } = arrays;
  const act = config.activation;
  const upstream = readSequenceGradients(SIMPLE_RNN_LAYOUT, arrays, outputs, grads, SAVED_COUNT);
  const z = upstream.saved[SAVED_PRE_ACTIVATIONS];
  const previousHidden = upstream.saved[SAVED_PREVIOUS_HIDDEN];
  const activations = floatValuesOf(outputs.sequence, 'SimpleRNN sequence');
  const sequenceGrad = upstream.sequence;
  const [dh] = upstream.states; // gradient into the carried h, float64

  const dz = new Float32Array(rows * H); // stays 0 at skipped steps
  const stepGrad = new Float64Array(H);
  const hiddenScratch = new Float32Array(N * H);

  for (let t = T - 1; t >= 0; t--) {
    for (let n = 0; n < N; n++) {
      const row = n * T + t;
      if (isSkipped(mask, row)) continue; // dh passes through the carried state
      const stateOffset = n * H;
      const offset = row * H;
      for (let j = 0; j < H; j++) {
        stepGrad[j] = dh[stateOffset + j] + (sequenceGrad === null ? 0 : sequenceGrad[offset + j]);
        dh[stateOffset + j] = 0; // h reaches the previous step only through z (added below)
      }
      multiplyByDerivative(act, stepGrad, 0, activations, z, offset, H);
      dz.set(stepGrad, offset);
    }
    addHiddenGradient(context, arrays, t, stepRows(dz, H, T, t), 0, H, dh, hiddenScratch);
  }

  return {
    ...linearCellGradients(context, arrays, dz, H, previousHidden, inputs.bias !== null, grads.inputGradient !== false),
    initialState: [makeTensor(Float32Array.from(dh), [N, H], 'float32')],
  };
}

/** The fused SimpleRNN kernel of the ts backend. */
/** The fused SimpleRNN kernel of one ts backend instance, its products in that instance's `context`. */
export function simpleRnnSequence(context: GemmContext): FusedSequenceKernel {
  return {
    supports,
    forward: (config, inputs) => forward(context, config, inputs),
    backward: (config, inputs, outputs, grads) => backward(context, config, inputs, outputs, grads),
  };
}
