import type {
  FusedSequenceKernel,
  RecurrentCellConfig,
  SequenceInputGrads,
  SequenceInputs,
  SequenceOutputGrads,
  SequenceOutputs,
  TensorInfo,
} from '@recur/core';
import { ShapeError, formatShape } from '@recur/core';
import { floatTensorOf, produceAll, type TfTensor, type Tfjs } from '../tensor-handle.js';
import { activate, activationDerivative, isActivationName } from './activation.js';
import { product } from './matmul.js';

/**
 * The fused LSTM over a whole sequence in tfjs ops: the cell of core's `LSTMCell`
 * (packages/core/src/layers/recurrent/lstm-cell.ts states its equations, gate order and the
 * symbols i, f, g, o used here), at every step t, with a mask m_t carrying the state:
 *
 *     c_t = c_{t-1} + m_t (c'_t - c_{t-1}),  h_t likewise,  output_t = m_t h'_t
 *
 * Why it is faster than core's composite loop on tfjs: the input projection of every step is
 * one matMul before the loop; the loop holds only the recurrence (one matMul and a few
 * element-wise ops per step, no tape); the backward pass computes every activation derivative
 * for all steps at once, runs the recurrence of the gradients alone, and gets the weight
 * gradients from three large products after the loop. Everything runs inside one tf.tidy.
 *
 * Layout: inside the kernel every per-step tensor is feature-major, `[F, N]` (a state is h_tᵀ,
 * the step computes z_tᵀ = Uᵀ · h_{t-1}ᵀ + (x_t · W + b)ᵀ), and sequences are `[T, F, N]`. Then
 * splitting the gates, taking one step of a sequence and joining gate gradients all act on
 * contiguous row blocks; along the last axis (the batch-major layout) tfjs's unstack, split and
 * slice take a generic element-by-element path that cost more than the products themselves.
 *
 * Saved for the backward pass: the pre-activations `z` [T, 4H, N], the new cells `c'` and the
 * carried states h_t [T, H, N], and with a mask the carried cells c_t (without one they are `c'`).
 */
export function lstmSequence(tf: Tfjs): FusedSequenceKernel {
  return {
    supports(config: RecurrentCellConfig): boolean {
      return isActivationName(config.activation) && isActivationName(config.recurrentActivation);
    },

    forward(config: RecurrentCellConfig, inputs: SequenceInputs): SequenceOutputs {
      const { x, kernel, recurrentKernel, bias, mask } = tensorsOf(tf, inputs);
      const [h0, c0] = tensorsOfState(tf, inputs);
      const H = inputs.recurrentKernel.shape[0];
      const [sequence, h, c, ...saved] = produceAll(tf, [x, h0, c0, kernel, recurrentKernel], () => {
        const steps = timeSteps(tf, projectInput(tf, x, kernel, bias, H));
        const masks = mask === null ? null : maskSteps(tf, mask);
        const recurrentKernelT = tf.transpose(recurrentKernel);
        let h = tf.transpose(h0);
        let c = tf.transpose(c0);
        const outputs: TfTensor[] = [];
        const preActivations: TfTensor[] = [];
        const newCells: TfTensor[] = [];
        const carriedH: TfTensor[] = [];
        const carriedC: TfTensor[] = [];
        for (let t = 0; t < steps.length; t++) {
          const z = tf.add(steps[t], tf.matMul(recurrentKernelT, h));
          const [zi, zf, zg, zo] = tf.split(z, 4, 0);
          const i = activate(tf, config.recurrentActivation, zi);
          const f = activate(tf, config.recurrentActivation, zf);
          const g = activate(tf, config.activation, zg);
          const o = activate(tf, config.recurrentActivation, zo);
          const cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
          const hNew = tf.mul(o, activate(tf, config.activation, cNew));
          preActivations.push(z);
          newCells.push(cNew);
          if (masks === null) {
            h = hNew;
            c = cNew;
            outputs.push(hNew);
          } else {
            const m = masks[t];
            h = tf.add(h, tf.mul(m, tf.sub(hNew, h)));
            c = tf.add(c, tf.mul(m, tf.sub(cNew, c)));
            outputs.push(tf.mul(m, hNew));
            carriedC.push(c);
          }
          carriedH.push(h);
        }
        const saved = [tf.stack(preActivations), tf.stack(newCells), tf.stack(carriedH)];
        if (masks !== null) saved.push(tf.stack(carriedC));
        return [batchMajor(tf, tf.stack(outputs)), tf.transpose(h), tf.transpose(c), ...saved];
      });
      return { sequence, finalState: [h, c], saved };
    },

    backward(
      config: RecurrentCellConfig,
      inputs: SequenceInputs,
      outputs: SequenceOutputs,
      grads: SequenceOutputGrads,
    ): SequenceInputGrads {
      const { x, kernel, recurrentKernel, bias, mask } = tensorsOf(tf, inputs);
      const [h0, c0] = tensorsOfState(tf, inputs);
      const [N, T, I] = inputs.x.shape;
      const H = inputs.recurrentKernel.shape[0];
      const [zAll, cNewAll, hAll] = outputs.saved.slice(0, 3).map((saved) => floatTensorOf(tf, saved, 'lstmSequence'));
      const cAll = mask === null ? cNewAll : floatTensorOf(tf, outputs.saved[3], 'lstmSequence');
      const upstream = grads.sequence === null ? null : floatTensorOf(tf, grads.sequence, 'lstmSequence');
      const upstreamH = grads.finalState[0] ?? null;
      const upstreamC = grads.finalState[1] ?? null;

      const results = produceAll(tf, [x, h0, c0, kernel, recurrentKernel], () => {
        // Every step's gates and activation derivatives at once: [T, 4H, N] and [T, H, N].
        const [zi, zf, zg, zo] = tf.split(zAll, 4, 1);
        const gates = [
          activate(tf, config.recurrentActivation, zi),
          activate(tf, config.recurrentActivation, zf),
          activate(tf, config.activation, zg),
          activate(tf, config.recurrentActivation, zo),
        ];
        const slopes = tf.concat(
          [
            activationDerivative(tf, config.recurrentActivation, zi, gates[0]),
            activationDerivative(tf, config.recurrentActivation, zf, gates[1]),
            activationDerivative(tf, config.activation, zg, gates[2]),
            activationDerivative(tf, config.recurrentActivation, zo, gates[3]),
          ],
          1,
        );
        const cellActivation = activate(tf, config.activation, cNewAll);
        // dh' reaches c' through o ⊙ act'(c').
        const outputToCell = tf.mul(gates[3], activationDerivative(tf, config.activation, cNewAll, cellActivation));
        const previousC = tf.concat(
          [tf.reshape(tf.transpose(c0), [1, H, N]), tf.slice(cAll, [0, 0, 0], [T - 1, H, N])],
          0,
        );
        const previousH = tf.concat(
          [tf.reshape(tf.transpose(h0), [1, H, N]), tf.slice(hAll, [0, 0, 0], [T - 1, H, N])],
          0,
        );

        const [i, f, g] = gates.slice(0, 3).map((gate) => tf.unstack(gate));
        const slopesT = tf.unstack(slopes);
        const cellActivationT = tf.unstack(cellActivation);
        const outputToCellT = tf.unstack(outputToCell);
        const previousCT = tf.unstack(previousC);
        const upstreamT = upstream === null ? null : timeSteps(tf, upstream);
        const masks = mask === null ? null : maskSteps(tf, mask);

        let dH: TfTensor =
          upstreamH === null ? tf.zeros([H, N]) : tf.transpose(floatTensorOf(tf, upstreamH, 'lstmSequence'));
        let dC: TfTensor =
          upstreamC === null ? tf.zeros([H, N]) : tf.transpose(floatTensorOf(tf, upstreamC, 'lstmSequence'));
        const dZ: TfTensor[] = new Array<TfTensor>(T);
        for (let t = T - 1; t >= 0; t--) {
          let dhNew = upstreamT === null ? dH : tf.add(dH, upstreamT[t]);
          let dcNew = dC;
          if (masks !== null) {
            // A skipped step passes the carried gradients straight through to step t-1.
            const m = masks[t];
            const skip = tf.sub(1, m);
            dhNew = tf.mul(m, dhNew);
            dcNew = tf.mul(m, dC);
            dH = tf.mul(skip, dH);
            dC = tf.mul(skip, dC);
          }
          const dCell = tf.add(dcNew, tf.mul(dhNew, outputToCellT[t]));
          const dGates = tf.concat(
            [tf.mul(dCell, g[t]), tf.mul(dCell, previousCT[t]), tf.mul(dCell, i[t]), tf.mul(dhNew, cellActivationT[t])],
            0,
          );
          const dz = tf.mul(dGates, slopesT[t]);
          dZ[t] = dz;
          const dHPrevious = tf.matMul(recurrentKernel, dz);
          const dCPrevious = tf.mul(dCell, f[t]);
          dH = masks === null ? dHPrevious : tf.add(dH, dHPrevious);
          dC = masks === null ? dCPrevious : tf.add(dC, dCPrevious);
        }
        // Rows in (t, n) order: [T * N, 4H], and the inputs of the products in the same order.
        const dZRows = tf.reshape(tf.transpose(tf.stack(dZ), [0, 2, 1]), [T * N, 4 * H]);
        const xRows = tf.reshape(tf.transpose(x, [1, 0, 2]), [T * N, I]);
        const previousHRows = tf.reshape(tf.transpose(previousH, [0, 2, 1]), [T * N, H]);
        const dx = tf.transpose(tf.reshape(product(tf, dZRows, kernel, false, true), [T, N, I]), [1, 0, 2]);
        const dKernel = product(tf, xRows, dZRows, true, false);
        const dRecurrentKernel = product(tf, previousHRows, dZRows, true, false);
        const result = [dx, tf.transpose(dH), tf.transpose(dC), dKernel, dRecurrentKernel];
        if (bias !== null) result.push(tf.sum(dZRows, 0));
        return result;
      });
      const [dx, dh0, dc0, dKernel, dRecurrentKernel, dBias] = results;
      return {
        x: dx,
        initialState: [dh0, dc0],
        kernel: dKernel,
        recurrentKernel: dRecurrentKernel,
        bias: dBias ?? null,
      };
    },
  };
}

interface SequenceTensors {
  readonly x: TfTensor;
  readonly kernel: TfTensor;
  readonly recurrentKernel: TfTensor;
  readonly bias: TfTensor | null;
  readonly mask: TfTensor | null;
}

function tensorsOf(tf: Tfjs, inputs: SequenceInputs): SequenceTensors {
  const { x, kernel, recurrentKernel, bias, mask } = inputs;
  const H = recurrentKernel.shape[0];
  const [N, T, I] = x.shape;
  const checkShape = (info: TensorInfo | null, shape: readonly number[], what: string): void => {
    if (info !== null && (info.shape.length !== shape.length || info.shape.some((d, k) => d !== shape[k]))) {
      throw new ShapeError(
        `lstmSequence: ${what} must have shape ${formatShape(shape)}, got ${formatShape(info.shape)}.`,
      );
    }
  };
  if (x.shape.length !== 3 || T === 0)
    throw new ShapeError(`lstmSequence: x must be [N, T, I] with T >= 1, got ${formatShape(x.shape)}.`);
  checkShape(kernel, [I, 4 * H], 'kernel');
  checkShape(recurrentKernel, [H, 4 * H], 'recurrentKernel');
  checkShape(bias, [4 * H], 'bias');
  checkShape(mask, [N, T], 'mask');
  if (inputs.initialState.length !== 2)
    throw new ShapeError(`lstmSequence takes 2 initial states [h, c], got ${inputs.initialState.length}.`);
  inputs.initialState.forEach((state, k) => checkShape(state, [N, H], `initial state ${k}`));
  return {
    x: floatTensorOf(tf, x, 'lstmSequence'),
    kernel: floatTensorOf(tf, kernel, 'lstmSequence'),
    recurrentKernel: floatTensorOf(tf, recurrentKernel, 'lstmSequence'),
    bias: bias === null ? null : floatTensorOf(tf, bias, 'lstmSequence'),
    mask: mask === null ? null : floatTensorOf(tf, mask, 'lstmSequence'),
  };
}

function tensorsOfState(tf: Tfjs, inputs: SequenceInputs): TfTensor[] {
  return inputs.initialState.map((state) => floatTensorOf(tf, state, 'lstmSequence'));
}

/** x · W + b for every step at once: [N, T, I] -> [N, T, 4H]. */
function projectInput(tf: Tfjs, x: TfTensor, kernel: TfTensor, bias: TfTensor | null, H: number): TfTensor {
  const [N, T, I] = x.shape;
  const projected = tf.matMul(tf.reshape(x, [N * T, I]), kernel);
  return tf.reshape(bias === null ? projected : tf.add(projected, bias), [N, T, 4 * H]);
}

/** [N, T, F] -> T tensors [F, N] (see the layout note above). */
function timeSteps(tf: Tfjs, sequence: TfTensor): TfTensor[] {
  return tf.unstack(tf.transpose(sequence, [1, 2, 0]));
}

/** [T, F, N] -> [N, T, F]. */
function batchMajor(tf: Tfjs, steps: TfTensor): TfTensor {
  return tf.transpose(steps, [2, 0, 1]);
}

/** The mask [N, T] as T row vectors [1, N] that broadcast over the feature rows. */
function maskSteps(tf: Tfjs, mask: TfTensor): TfTensor[] {
  const [N, T] = mask.shape;
  return tf.unstack(tf.reshape(tf.transpose(mask), [T, 1, N]));
}
