import { describe, expect, it } from 'vitest';
import type { KernelBackend, RecurrentCellConfig, SequenceInputs } from '@recur/core';
import { tsBackend } from '../src/index.js';
import {
  cellCaseNames,
  expectForwardClose,
  expectGradientClose,
  firstAxisEntry,
  lastAxisBlock,
  loadCellCase,
  maskFromLengths,
  toBatchFirst,
  uploadReference,
  type CellCase,
  type ReferenceTensor,
} from './reference-cases.js';

/**
 * The fused LSTM kernel against PyTorch float64 goldens (weights in Keras layout), through the
 * public backend API only. Tolerances from DESIGN.md: forward 1e-5 absolute; gradients
 * |got - ref| <= 1e-4 * |ref| + 1e-5.
 */

const config: RecurrentCellConfig = { activation: 'tanh', recurrentActivation: 'sigmoid' };

/** One direction of a reference case, as kernel inputs and expected values. */
interface DirectionCase {
  readonly inputs: SequenceInputs;
  readonly lengths: readonly number[] | null;
}

function directionInputs(backend: KernelBackend, reference: CellCase, direction: number): DirectionCase {
  const x: ReferenceTensor = reference.config.batch_first ? reference.inputs.x : toBatchFirst(reference.inputs.x);
  const weights = reference.keras.layers[0].forward;
  const lengths: number[] | null = reference.config.lengths;
  const mask = maskFromLengths(backend, lengths, x.shape[1]);
  return {
    inputs: {
      x: uploadReference(backend, x),
      initialState: [uploadReference(backend, firstAxisEntry(reference.inputs.h0, direction)), uploadReference(backend, firstAxisEntry(reference.inputs.c0, direction))],
      kernel: uploadReference(backend, weights.kernel),
      recurrentKernel: uploadReference(backend, weights.recurrent_kernel),
      bias: uploadReference(backend, weights.bias),
      mask,
    },
    lengths,
  };
}

describe('lstmSequence against PyTorch goldens (single layer, unidirectional)', () => {
  const names = cellCaseNames('lstm_l1_uni_');
  it('finds the reference cases', () => {
    expect(names.length).toBeGreaterThanOrEqual(3);
  });

  for (const name of names) {
    it(`${name}: forward and backward`, () => {
      const reference = loadCellCase(name);
      const backend = tsBackend();
      const kernel = backend.lstmSequence;
      if (kernel === undefined) throw new Error('tsBackend has no lstmSequence');
      expect(kernel.supports(config)).toBe(true);
      const batchFirst = reference.config.batch_first as boolean;
      const { inputs } = directionInputs(backend, reference, 0);

      const outputs = kernel.forward(config, inputs);
      const expectedSequence = batchFirst ? reference.outputs.output : toBatchFirst(reference.outputs.output);
      expectForwardClose(backend, outputs.sequence, expectedSequence, 'sequence');
      expectForwardClose(backend, outputs.finalState[0], firstAxisEntry(reference.outputs.h_n, 0), 'final h');
      expectForwardClose(backend, outputs.finalState[1], firstAxisEntry(reference.outputs.c_n, 0), 'final c');

      const upstream = reference.upstream_grads;
      const grads = kernel.backward(config, inputs, outputs, {
        sequence: uploadReference(backend, batchFirst ? upstream.output : toBatchFirst(upstream.output)),
        finalState: [uploadReference(backend, firstAxisEntry(upstream.h_n, 0)), uploadReference(backend, firstAxisEntry(upstream.c_n, 0))],
        inputGradient: true,
      });
      const weightGrads = reference.keras.grads[0].forward;
      expectGradientClose(backend, grads.x, batchFirst ? reference.grads.x : toBatchFirst(reference.grads.x), 'dx');
      expectGradientClose(backend, grads.initialState[0], firstAxisEntry(reference.grads.h0, 0), 'dh0');
      expectGradientClose(backend, grads.initialState[1], firstAxisEntry(reference.grads.c0, 0), 'dc0');
      expectGradientClose(backend, grads.kernel, weightGrads.kernel, 'dKernel');
      expectGradientClose(backend, grads.recurrentKernel, weightGrads.recurrent_kernel, 'dRecurrentKernel');
      expectGradientClose(backend, grads.bias, weightGrads.bias, 'dBias');
    });
  }
});

describe('lstmSequence with a mask (forward direction of a packed bidirectional case)', () => {
  // Padded steps are skipped: PyTorch's packed forward direction equals a mask of
  // t < lengths[n], with the output exactly 0 at padded steps. The loss's forward-direction
  // terms alone determine the forward weights' and initial states' gradients; dx mixes both
  // directions, so it is not checked here.
  it('lstm_l1_bi_bf_h0_packed: forward and backward', () => {
    const reference = loadCellCase('lstm_l1_bi_bf_h0_packed');
    expect(reference.config.batch_first).toBe(true);
    const backend = tsBackend();
    const kernel = backend.lstmSequence;
    if (kernel === undefined) throw new Error('tsBackend has no lstmSequence');
    const units: number = reference.config.hidden_size;
    const { inputs, lengths } = directionInputs(backend, reference, 0);
    expect(lengths).not.toBeNull();

    const outputs = kernel.forward(config, inputs);
    const expectedSequence = lastAxisBlock(reference.outputs.output, 0, units);
    expectForwardClose(backend, outputs.sequence, expectedSequence, 'sequence');
    const sequence = backend.download(outputs.sequence);
    const [batch, steps] = reference.inputs.x.shape as number[];
    for (let n = 0; n < batch; n++) {
      for (let t = lengths![n]; t < steps; t++) {
        for (let j = 0; j < units; j++) expect(sequence[(n * steps + t) * units + j]).toBe(0);
      }
    }
    expectForwardClose(backend, outputs.finalState[0], firstAxisEntry(reference.outputs.h_n, 0), 'final h');
    expectForwardClose(backend, outputs.finalState[1], firstAxisEntry(reference.outputs.c_n, 0), 'final c');

    const upstream = reference.upstream_grads;
    const grads = kernel.backward(config, inputs, outputs, {
      sequence: uploadReference(backend, lastAxisBlock(upstream.output, 0, units)),
      finalState: [uploadReference(backend, firstAxisEntry(upstream.h_n, 0)), uploadReference(backend, firstAxisEntry(upstream.c_n, 0))],
      inputGradient: true,
    });
    const weightGrads = reference.keras.grads[0].forward;
    expectGradientClose(backend, grads.initialState[0], firstAxisEntry(reference.grads.h0, 0), 'dh0');
    expectGradientClose(backend, grads.initialState[1], firstAxisEntry(reference.grads.c0, 0), 'dc0');
    expectGradientClose(backend, grads.kernel, weightGrads.kernel, 'dKernel');
    expectGradientClose(backend, grads.recurrentKernel, weightGrads.recurrent_kernel, 'dRecurrentKernel');
    expectGradientClose(backend, grads.bias, weightGrads.bias, 'dBias');
    // dx at padded steps is exactly 0 (those inputs never entered the computation).
    const dx = backend.download(grads.x!);
    const features: number = reference.config.input_size;
    for (let n = 0; n < batch; n++) {
      for (let t = lengths![n]; t < steps; t++) {
        for (let f = 0; f < features; f++) expect(dx[(n * steps + t) * features + f]).toBe(0);
      }
    }
  });
});

describe('lstmSequence.supports', () => {
  it('accepts the Keras activations and refuses others', () => {
    const kernel = tsBackend().lstmSequence!;
    expect(kernel.supports({ activation: 'relu', recurrentActivation: 'hard_sigmoid' })).toBe(true);
    expect(kernel.supports({ activation: 'linear', recurrentActivation: 'softsign' })).toBe(true);
    expect(kernel.supports({ activation: 'gelu' as never, recurrentActivation: 'sigmoid' })).toBe(false);
  });
});

describe('backward without an input gradient', () => {
  it('returns null for x and the same weight gradients as with it', () => {
    const backend = tsBackend();
    const [N, T, I, H] = [2, 3, 4, 5];
    const values = (count: number, scale: number) => Float32Array.from({ length: count }, (_, k) => scale * Math.sin(k + 1));
    const inputs = {
      x: backend.upload(values(N * T * I, 0.5), [N, T, I], 'float32'),
      initialState: [backend.upload(values(N * H, 0.1), [N, H], 'float32'), backend.upload(values(N * H, 0.2), [N, H], 'float32')],
      kernel: backend.upload(values(I * 4 * H, 0.3), [I, 4 * H], 'float32'),
      recurrentKernel: backend.upload(values(H * 4 * H, 0.3), [H, 4 * H], 'float32'),
      bias: backend.upload(values(4 * H, 0.1), [4 * H], 'float32'),
      mask: null,
    };
    const config = { activation: 'tanh', recurrentActivation: 'sigmoid' } as const;
    const outputs = backend.lstmSequence!.forward(config, inputs);
    const upstream = { sequence: backend.upload(values(N * T * H, 1), [N, T, H], 'float32'), finalState: [null, null] };
    const withInput = backend.lstmSequence!.backward(config, inputs, outputs, { ...upstream, inputGradient: true });
    const withoutInput = backend.lstmSequence!.backward(config, inputs, outputs, { ...upstream, inputGradient: false });
    expect(withoutInput.x).toBeNull();
    expect(withInput.x).not.toBeNull();
    expect(Array.from(backend.download(withoutInput.kernel))).toEqual(Array.from(backend.download(withInput.kernel)));
    expect(Array.from(backend.download(withoutInput.recurrentKernel))).toEqual(Array.from(backend.download(withInput.recurrentKernel)));
  });
});
