import type {
  FusedSequenceKernel,
  RecurrentCellConfig,
  SequenceInputGrads,
  SequenceInputs,
  SequenceOutputGrads,
  SequenceOutputs,
  TensorInfo,
} from '@recur/core';
import { makeTensor } from '../tensor-storage.js';
import { activate, activateInPlace, isActivationName, multiplyByDerivative } from './activation.js';
import { denseView, gemm, tensorView, type GemmContext } from './gemm.js';
import {
  isSkipped,
  readSequenceGradients,
  readSequenceInputs,
  type SequenceArrays,
  type SequenceGradientArrays,
  type SequenceLayout,
} from './sequence-inputs.js';
import { addHiddenGradient, linearCellGradients, projectInputs, stepRows } from './sequence-projection.js';

/**
 * The fused whole-sequence LSTM, with its backward pass (backpropagation through time): the
 * cell of core's `LSTMCell` (packages/core/src/layers/recurrent/lstm-cell.ts states its
 * equations, Keras gate order and the symbols i, f, g, o, z used here) per time step t and
 * sample, with row vectors; ra = recurrentActivation, act = activation.
 * A step whose mask is 0 is skipped: h and c are carried unchanged and its output is 0.
 *
 * Speed comes from doing the work in few large loops (see sequence-projection.ts): the input
 * projection of all N*T rows is one GEMM before the time loop, each step adds only
 * h · recurrentKernel, and the weight gradients are one GEMM each after the backward time
 * loop. All buffers are allocated once per call; nothing is allocated per time step.
 *
 * The products run in the backend instance's `GemmContext` (plugged-in matrix kernels
 * included). A provider with a faster whole-sequence LSTM overrides this kernel as a whole (see
 * `withWasmKernels` in `@recur/wasm-kernels`) and hands back here what it does not take.
 */

/** Indices into `SequenceOutputs.saved` (what backward needs). */
const SAVED_PRE_ACTIVATIONS = 0; // z, [N, T, 4H]
const SAVED_GATES = 1; // i, f, g, o after their activations, [N, T, 4H]; 0 at skipped steps
const SAVED_CELLS = 2; // c after each step (carried at skipped steps), [N, T, H]
const SAVED_CELL_ACTIVATIONS = 3; // act(c'), [N, T, H]; 0 at skipped steps
const SAVED_PREVIOUS_HIDDEN = 4; // h entering each step, [N, T, H]
const SAVED_COUNT = 5;

function supports(config: RecurrentCellConfig): boolean {
  return isActivationName(config.activation) && isActivationName(config.recurrentActivation);
}

const LSTM_LAYOUT: SequenceLayout = { layer: 'LSTM', gates: 4, states: ['h', 'c'], supports, biasRows: () => 1 };

/** The buffers of one forward pass, written step by step ([N, T, W] batch-major, h and c [N, H]). */
interface ForwardBuffers {
  readonly z: Float32Array;
  readonly gates: Float32Array;
  readonly cells: Float32Array;
  readonly cellActivations: Float32Array;
  readonly previousHidden: Float32Array;
  readonly sequence: Float32Array;
  readonly h: Float32Array;
  readonly c: Float32Array;
}

function forward(context: GemmContext, config: RecurrentCellConfig, inputs: SequenceInputs): SequenceOutputs {
  const arrays = readSequenceInputs(LSTM_LAYOUT, config, inputs);
  const { batch: N, steps: T, units: H, rows } = arrays;
  const G = 4 * H;
  const buffers: ForwardBuffers = {
    // Input projection of every (sample, step) row at once; the bias seeds the accumulator.
    z: projectInputs(context, arrays, G, arrays.bias),
    gates: new Float32Array(rows * G),
    cells: new Float32Array(rows * H),
    cellActivations: new Float32Array(rows * H),
    previousHidden: new Float32Array(rows * H),
    sequence: new Float32Array(rows * H),
    h: Float32Array.from(arrays.initialState[0]),
    c: Float32Array.from(arrays.initialState[1]),
  };
  forwardSteps(context, config, arrays, buffers);

  const { z, gates, cells, cellActivations, previousHidden, sequence, h, c } = buffers;
  const saved: TensorInfo[] = [];
  saved[SAVED_PRE_ACTIVATIONS] = makeTensor(z, [N, T, G], 'float32');
  saved[SAVED_GATES] = makeTensor(gates, [N, T, G], 'float32');
  saved[SAVED_CELLS] = makeTensor(cells, [N, T, H], 'float32');
  saved[SAVED_CELL_ACTIVATIONS] = makeTensor(cellActivations, [N, T, H], 'float32');
  saved[SAVED_PREVIOUS_HIDDEN] = makeTensor(previousHidden, [N, T, H], 'float32');
  return {
    sequence: makeTensor(sequence, [N, T, H], 'float32'),
    finalState: [makeTensor(h, [N, H], 'float32'), makeTensor(c, [N, H], 'float32')],
    saved,
  };
}

/** The time loop forward in backend-ts: per step the recurrent GEMM, then the cell. */
function forwardSteps(
  context: GemmContext,
  config: RecurrentCellConfig,
  arrays: SequenceArrays,
  buffers: ForwardBuffers,
): void {
  const { batch: N, steps: T, units: H, recurrentKernel, mask } = arrays;
  const { z, gates, cells, cellActivations, previousHidden, sequence, h, c } = buffers;
  const G = 4 * H;
  const ra = config.recurrentActivation;
  const act = config.activation;
  const hiddenView = denseView(h, H);
  const recurrentView = tensorView(recurrentKernel, G);
  for (let t = 0; t < T; t++) {
    // Plain loops rather than set(subarray(...)): no view objects are allocated per row.
    for (let n = 0; n < N; n++) {
      const target = (n * T + t) * H;
      for (let j = 0; j < H; j++) previousHidden[target + j] = h[n * H + j];
    }
    // z rows of step t += h · recurrentKernel, written in place (rows T*G apart).
    gemm(context, N, G, H, hiddenView, recurrentView, z, t * G, T * G, true);
    for (let n = 0; n < N; n++) {
      const row = n * T + t;
      const stateOffset = n * H;
      const cellOffset = row * H;
      if (isSkipped(mask, row)) {
        for (let j = 0; j < H; j++) cells[cellOffset + j] = c[stateOffset + j];
        continue;
      }
      const gateOffset = row * G;
      activate(ra, z, gateOffset, gates, gateOffset, 2 * H); // i, f
      activate(act, z, gateOffset + 2 * H, gates, gateOffset + 2 * H, H); // g
      activate(ra, z, gateOffset + 3 * H, gates, gateOffset + 3 * H, H); // o
      for (let j = 0; j < H; j++) {
        const i = gates[gateOffset + j];
        const f = gates[gateOffset + H + j];
        const g = gates[gateOffset + 2 * H + j];
        cells[cellOffset + j] = f * c[stateOffset + j] + i * g;
        // Read back the float32-rounded cell so c, cells and act(c') agree exactly.
        const cell = cells[cellOffset + j];
        c[stateOffset + j] = cell;
        cellActivations[cellOffset + j] = cell;
      }
      activateInPlace(act, cellActivations, cellOffset, H);
      for (let j = 0; j < H; j++) {
        const hNew = gates[gateOffset + 3 * H + j] * cellActivations[cellOffset + j];
        sequence[cellOffset + j] = hNew;
        h[stateOffset + j] = hNew;
      }
    }
  }
}

function backward(
  context: GemmContext,
  config: RecurrentCellConfig,
  inputs: SequenceInputs,
  outputs: SequenceOutputs,
  grads: SequenceOutputGrads,
): SequenceInputGrads {
  const arrays = readSequenceInputs(LSTM_LAYOUT, config, inputs);
  const { batch: N, units: H } = arrays;
  const upstream = readSequenceGradients(LSTM_LAYOUT, arrays, outputs, grads, SAVED_COUNT);
  const previousHidden = upstream.saved[SAVED_PREVIOUS_HIDDEN];
  // Gradients flowing into the state carried between steps, kept in float64.
  const [dh, dc] = upstream.states;
  const hasBias = inputs.bias !== null;
  const inputGradient = grads.inputGradient !== false;

  const gradients = linearCellGradients(
    context,
    arrays,
    backwardSteps(context, config, arrays, upstream),
    4 * H,
    previousHidden,
    hasBias,
    inputGradient,
  );
  return {
    ...gradients,
    initialState: [
      makeTensor(Float32Array.from(dh), [N, H], 'float32'),
      makeTensor(Float32Array.from(dc), [N, H], 'float32'),
    ],
  };
}

/** The time loop backward in backend-ts: per step the cell, then the GEMM into dh. Returns dz. */
function backwardSteps(
  context: GemmContext,
  config: RecurrentCellConfig,
  arrays: SequenceArrays,
  upstream: SequenceGradientArrays,
): Float32Array {
  const { batch: N, steps: T, units: H, rows, mask } = arrays;
  const G = 4 * H;
  const ra = config.recurrentActivation;
  const act = config.activation;
  const z = upstream.saved[SAVED_PRE_ACTIVATIONS];
  const gates = upstream.saved[SAVED_GATES];
  const cells = upstream.saved[SAVED_CELLS];
  const cellActivations = upstream.saved[SAVED_CELL_ACTIVATIONS];
  const c0 = arrays.initialState[1];
  const sequenceGrad = upstream.sequence;
  const [dh, dc] = upstream.states;

  const dz = new Float32Array(rows * G); // stays 0 at skipped steps
  const gateGrad = new Float64Array(G);
  const cellGrad = new Float64Array(H);
  const hiddenScratch = new Float32Array(N * H);

  for (let t = T - 1; t >= 0; t--) {
    for (let n = 0; n < N; n++) {
      const row = n * T + t;
      if (isSkipped(mask, row)) continue; // dh, dc pass through the carried state
      const stateOffset = n * H;
      const cellOffset = row * H;
      const gateOffset = row * G;
      for (let j = 0; j < H; j++) {
        const dhTotal = dh[stateOffset + j] + (sequenceGrad === null ? 0 : sequenceGrad[cellOffset + j]);
        dh[stateOffset + j] = 0; // h reaches the previous step only through z (added below)
        gateGrad[3 * H + j] = dhTotal * cellActivations[cellOffset + j]; // d o
        cellGrad[j] = dhTotal * gates[gateOffset + 3 * H + j]; // d act(c')
      }
      multiplyByDerivative(act, cellGrad, 0, cellActivations, cells, cellOffset, H);
      const previousCellOffset = t === 0 ? -1 : cellOffset - H;
      for (let j = 0; j < H; j++) {
        const dcTotal = dc[stateOffset + j] + cellGrad[j];
        const previousCell = previousCellOffset < 0 ? c0[stateOffset + j] : cells[previousCellOffset + j];
        gateGrad[j] = dcTotal * gates[gateOffset + 2 * H + j]; // d i = dc * g
        gateGrad[H + j] = dcTotal * previousCell; // d f = dc * c
        gateGrad[2 * H + j] = dcTotal * gates[gateOffset + j]; // d g = dc * i
        dc[stateOffset + j] = dcTotal * gates[gateOffset + H + j]; // into c: dc * f
      }
      multiplyByDerivative(ra, gateGrad, 0, gates, z, gateOffset, 2 * H);
      multiplyByDerivative(act, gateGrad, 2 * H, gates, z, gateOffset + 2 * H, H);
      multiplyByDerivative(ra, gateGrad, 3 * H, gates, z, gateOffset + 3 * H, H);
      dz.set(gateGrad, gateOffset);
    }
    // Into the previous h: dz_t · recurrentKernel^T.
    addHiddenGradient(context, arrays, t, stepRows(dz, G, T, t), 0, G, dh, hiddenScratch);
  }
  return dz;
}

/** The fused LSTM kernel of one ts backend instance, its products in that instance's `context`. */
export function lstmSequence(context: GemmContext): FusedSequenceKernel {
  return {
    supports,
    forward: (config, inputs) => forward(context, config, inputs),
    backward: (config, inputs, outputs, grads) => backward(context, config, inputs, outputs, grads),
  };
}
