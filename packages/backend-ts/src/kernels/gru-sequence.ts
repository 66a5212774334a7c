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
import { activateInPlace, isActivationName, multiplyByDerivative } from './activation.js';
import { denseView, gemm, type GemmContext } from './gemm.js';
import { isSkipped, readSequenceGradients, readSequenceInputs, type SequenceLayout } from './sequence-inputs.js';
import {
  addHiddenGradient,
  columnSums,
  projectInputs,
  projectionGradients,
  setWeightGradient,
  stepRows,
} from './sequence-projection.js';

/**
 * The fused whole-sequence GRU in Keras layout (gates z, r, h in kernel columns), with its
 * backward pass. Per time step t and sample, with row vectors, ra = recurrentActivation,
 * act = activation, W = kernel, U = recurrentKernel:
 *   z  = ra(x_t · W_z + b_z + h · U_z + b'_z)
 *   r  = ra(x_t · W_r + b_r + h · U_r + b'_r)
 *   resetAfter (bias [2, 3H]: b input row, b' recurrent row; PyTorch, ONNX linear_before_reset=1):
 *     hh = act(x_t · W_h + b_h + r ⊙ (h · U_h + b'_h))
 *   otherwise (bias [3H] = b, no b'; ONNX linear_before_reset=0):
 *     hh = act(x_t · W_h + b_h + (r ⊙ h) · U_h)
 *   h' = z ⊙ h + (1 − z) ⊙ hh
 * A step whose mask is 0 is skipped: h is carried unchanged and its output is 0.
 *
 * Same plan as the LSTM (see sequence-projection.ts): one GEMM for the input projection of
 * all N*T rows, small GEMMs per step, one GEMM per weight gradient at the end, and no
 * allocation per time step. Each step runs in two passes over the batch because without
 * resetAfter the candidate's recurrent product needs r first: pass 1 computes z and r, then
 * the candidate's product, then pass 2 computes hh and h'.
 *
 * The "candidate term" buffer holds what the candidate's recurrent part multiplies with r:
 * with resetAfter the product h · U_h + b'_h (r scales it), otherwise r ⊙ h (the operand of
 * U_h). Backward needs exactly that value in both cases.
 */

/** Indices into `SequenceOutputs.saved` (what backward needs). */
const SAVED_PRE_ACTIVATIONS = 0; // pre-activations of z, r, hh, [N, T, 3H]
const SAVED_GATES = 1; // z, r, hh after their activations, [N, T, 3H]; 0 at skipped steps
const SAVED_CANDIDATE_TERMS = 2; // see above, [N, T, H]
const SAVED_PREVIOUS_HIDDEN = 3; // h entering each step, [N, T, H]
const SAVED_COUNT = 4;

/** Keras 3's default, which core's GRU layer also uses. */
function resetAfterOf(config: RecurrentCellConfig): boolean {
  return config.resetAfter ?? true;
}

function supports(config: RecurrentCellConfig): boolean {
  return (
    isActivationName(config.activation) &&
    isActivationName(config.recurrentActivation) &&
    (config.resetAfter === undefined || typeof config.resetAfter === 'boolean')
  );
}

const GRU_LAYOUT: SequenceLayout = {
  layer: 'GRU',
  gates: 3,
  states: ['h'],
  supports,
  biasRows: (config) => (resetAfterOf(config) ? 2 : 1),
};

function forward(context: GemmContext, config: RecurrentCellConfig, inputs: SequenceInputs): SequenceOutputs {
  const arrays = readSequenceInputs(GRU_LAYOUT, config, inputs);
  const { batch: N, steps: T, units: H, rows, recurrentKernel, bias, mask } = arrays;
  const G = 3 * H;
  const ra = config.recurrentActivation;
  const act = config.activation;
  const resetAfter = resetAfterOf(config);

  // The input projection's seed carries every bias that is added, not scaled by r: with
  // resetAfter that is the input row plus the recurrent row's z and r blocks, and the
  // recurrent h block b'_h seeds the candidate term instead.
  let projectionSeed: Float32Array | null = bias;
  const candidateTerms = new Float32Array(rows * H);
  if (bias !== null && resetAfter) {
    projectionSeed = bias.slice(0, G);
    for (let j = 0; j < 2 * H; j++) projectionSeed[j] += bias[G + j];
    const recurrentCandidateBias = bias.subarray(G + 2 * H, 2 * G);
    for (let r = 0; r < rows; r++) candidateTerms.set(recurrentCandidateBias, r * H);
  }
  const pre = projectInputs(context, arrays, G, projectionSeed);
  const gates = new Float32Array(rows * G);
  const previousHidden = new Float32Array(rows * H);
  const sequence = new Float32Array(rows * H);
  const h = Float32Array.from(arrays.initialState[0]);

  const hiddenView = denseView(h, H);
  const gateBlocks = denseView(recurrentKernel, G); // columns [0, 2H): z and r
  const candidateBlock = denseView(recurrentKernel, G, false, 2 * H); // columns [2H, 3H)
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) previousHidden.set(h.subarray(n * H, n * H + H), (n * T + t) * H);
    // z and r pre-activations of step t += h · U_z, h · U_r, in place.
    gemm(context, N, 2 * H, H, hiddenView, gateBlocks, pre, t * G, T * G, true);
    if (resetAfter) gemm(context, N, H, H, hiddenView, candidateBlock, candidateTerms, t * H, T * H, true);

    for (let n = 0; n < N; n++) {
      const row = n * T + t;
      if (isSkipped(mask, row)) continue;
      const gateOffset = row * G;
      const termOffset = row * H;
      gates.set(pre.subarray(gateOffset, gateOffset + 2 * H), gateOffset);
      activateInPlace(ra, gates, gateOffset, 2 * H);
      for (let j = 0; j < H; j++) {
        const reset = gates[gateOffset + H + j];
        if (resetAfter) pre[gateOffset + 2 * H + j] += reset * candidateTerms[termOffset + j];
        else candidateTerms[termOffset + j] = reset * h[n * H + j];
      }
    }
    // hh pre-activations of step t += (r ⊙ h) · U_h (rows of skipped samples are 0).
    if (!resetAfter)
      gemm(context, N, H, H, stepRows(candidateTerms, H, T, t), candidateBlock, pre, t * G + 2 * H, T * G, true);

    for (let n = 0; n < N; n++) {
      const row = n * T + t;
      if (isSkipped(mask, row)) continue;
      const gateOffset = row * G;
      const stateOffset = n * H;
      const outputOffset = row * H;
      gates.set(pre.subarray(gateOffset + 2 * H, gateOffset + G), gateOffset + 2 * H);
      activateInPlace(act, gates, gateOffset + 2 * H, H);
      for (let j = 0; j < H; j++) {
        const update = gates[gateOffset + j];
        const candidate = gates[gateOffset + 2 * H + j];
        const hNew = update * h[stateOffset + j] + (1 - update) * candidate;
        sequence[outputOffset + j] = hNew;
        h[stateOffset + j] = hNew;
      }
    }
  }

  const saved: TensorInfo[] = [];
  saved[SAVED_PRE_ACTIVATIONS] = makeTensor(pre, [N, T, G], 'float32');
  saved[SAVED_GATES] = makeTensor(gates, [N, T, G], 'float32');
  saved[SAVED_CANDIDATE_TERMS] = makeTensor(candidateTerms, [N, T, H], 'float32');
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
  const arrays = readSequenceInputs(GRU_LAYOUT, config, inputs);
  const { batch: N, steps: T, inputSize: I, units: H, rows, recurrentKernel, mask } = arrays;
  const G = 3 * H;
  const ra = config.recurrentActivation;
  const act = config.activation;
  const resetAfter = resetAfterOf(config);
  const upstream = readSequenceGradients(GRU_LAYOUT, arrays, outputs, grads, SAVED_COUNT);
  const pre = upstream.saved[SAVED_PRE_ACTIVATIONS];
  const gates = upstream.saved[SAVED_GATES];
  const candidateTerms = upstream.saved[SAVED_CANDIDATE_TERMS];
  const previousHidden = upstream.saved[SAVED_PREVIOUS_HIDDEN];
  const sequenceGrad = upstream.sequence;
  const [dh] = upstream.states; // gradient into the carried h, float64

  // Pre-activation gradients of z, r, hh (0 at skipped steps), and with resetAfter the
  // gradient of the candidate term h · U_h + b'_h, which differs from hh's by the factor r.
  const dPre = new Float32Array(rows * G);
  const dCandidateTerms = resetAfter ? new Float32Array(rows * H) : null;
  const stepGrad = new Float64Array(G);
  const hiddenScratch = new Float32Array(N * H);
  const resetHiddenGrad = new Float32Array(N * H);

  for (let t = T - 1; t >= 0; t--) {
    for (let n = 0; n < N; n++) {
      const row = n * T + t;
      if (isSkipped(mask, row)) continue; // dh passes through the carried state
      const stateOffset = n * H;
      const rowOffset = row * H;
      const gateOffset = row * G;
      for (let j = 0; j < H; j++) {
        const dhTotal = dh[stateOffset + j] + (sequenceGrad === null ? 0 : sequenceGrad[rowOffset + j]);
        const update = gates[gateOffset + j];
        stepGrad[j] = dhTotal * (previousHidden[rowOffset + j] - gates[gateOffset + 2 * H + j]); // d z
        stepGrad[2 * H + j] = dhTotal * (1 - update); // d hh
        dh[stateOffset + j] = dhTotal * update; // the direct path z ⊙ h; the gates' paths are added below
      }
      multiplyByDerivative(ra, stepGrad, 0, gates, pre, gateOffset, H);
      multiplyByDerivative(act, stepGrad, 2 * H, gates, pre, gateOffset + 2 * H, H);
      if (dCandidateTerms !== null) {
        for (let j = 0; j < H; j++) {
          stepGrad[H + j] = stepGrad[2 * H + j] * candidateTerms[rowOffset + j]; // d r
          dCandidateTerms[rowOffset + j] = stepGrad[2 * H + j] * gates[gateOffset + H + j];
        }
        multiplyByDerivative(ra, stepGrad, H, gates, pre, gateOffset + H, H);
        dPre.set(stepGrad, gateOffset);
      } else {
        dPre.set(stepGrad.subarray(0, H), gateOffset);
        dPre.set(stepGrad.subarray(2 * H, G), gateOffset + 2 * H);
      }
    }

    if (dCandidateTerms !== null) {
      addHiddenGradient(context, arrays, t, stepRows(dCandidateTerms, H, T, t), 2 * H, H, dh, hiddenScratch);
    } else {
      // d(r ⊙ h) = d hh-pre · U_h^T, then split between r and h.
      gemm(
        context,
        N,
        H,
        H,
        stepRows(dPre, G, T, t, 2 * H),
        denseView(recurrentKernel, G, true, 2 * H),
        resetHiddenGrad,
        0,
        H,
        false,
      );
      for (let n = 0; n < N; n++) {
        const row = n * T + t;
        if (isSkipped(mask, row)) continue;
        const stateOffset = n * H;
        const rowOffset = row * H;
        const gateOffset = row * G;
        for (let j = 0; j < H; j++) {
          const resetHidden = resetHiddenGrad[stateOffset + j];
          stepGrad[H + j] = resetHidden * previousHidden[rowOffset + j]; // d r
          dh[stateOffset + j] += resetHidden * gates[gateOffset + H + j];
        }
        multiplyByDerivative(ra, stepGrad, H, gates, pre, gateOffset + H, H);
        dPre.set(stepGrad.subarray(H, 2 * H), gateOffset + H);
      }
    }
    // Into the previous h through z and r: [d z-pre, d r-pre]_t · [U_z, U_r]^T.
    addHiddenGradient(context, arrays, t, stepRows(dPre, G, T, t), 0, 2 * H, dh, hiddenScratch);
  }

  // Weight and input gradients, one GEMM each over all (sample, step) rows. U_z and U_r
  // multiplied h; U_h multiplied h (resetAfter, gradient dCandidateTerms) or r ⊙ h (gradient
  // of hh's pre-activation).
  const projection = projectionGradients(context, arrays, dPre, G, grads.inputGradient !== false);
  const recurrentKernelGrad = new Float32Array(H * G);
  setWeightGradient(context, rows, previousHidden, H, denseView(dPre, G), 2 * H, recurrentKernelGrad, 0, G);
  if (dCandidateTerms !== null) {
    setWeightGradient(
      context,
      rows,
      previousHidden,
      H,
      denseView(dCandidateTerms, H),
      H,
      recurrentKernelGrad,
      2 * H,
      G,
    );
  } else {
    setWeightGradient(
      context,
      rows,
      candidateTerms,
      H,
      denseView(dPre, G, false, 2 * H),
      H,
      recurrentKernelGrad,
      2 * H,
      G,
    );
  }
  let biasGrad: TensorInfo | null = null;
  if (inputs.bias !== null) {
    const inputBiasGrad = columnSums(denseView(dPre, G), rows, G);
    if (dCandidateTerms === null) {
      biasGrad = makeTensor(inputBiasGrad, [G], 'float32');
    } else {
      const both = new Float32Array(2 * G);
      both.set(inputBiasGrad);
      both.set(inputBiasGrad.subarray(0, 2 * H), G); // b'_z, b'_r enter exactly like b_z, b_r
      both.set(columnSums(denseView(dCandidateTerms, H), rows, H), G + 2 * H);
      biasGrad = makeTensor(both, [2, G], 'float32');
    }
  }
  return {
    x: projection.x === null ? null : makeTensor(projection.x, [N, T, I], 'float32'),
    initialState: [makeTensor(Float32Array.from(dh), [N, H], 'float32')],
    kernel: makeTensor(projection.kernel, [I, G], 'float32'),
    recurrentKernel: makeTensor(recurrentKernelGrad, [H, G], 'float32'),
    bias: biasGrad,
  };
}

/** The fused GRU kernel of the ts backend. */
/** The fused GRU kernel of one ts backend instance, its products in that instance's `context`. */
export function gruSequence(context: GemmContext): FusedSequenceKernel {
  return {
    supports,
    forward: (config, inputs) => forward(context, config, inputs),
    backward: (config, inputs, outputs, grads) => backward(context, config, inputs, outputs, grads),
  };
}
