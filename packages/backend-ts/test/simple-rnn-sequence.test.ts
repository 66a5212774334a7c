import { describe, expect, it } from 'vitest';
import type {
  ActivationName,
  FusedSequenceKernel,
  KernelBackend,
  RecurrentCellConfig,
  SequenceInputs,
  TensorInfo,
} from '@recur/core';
import { ShapeError, ValueError } from '@recur/core';
import { tsBackend } from '../src/index.js';
import {
  FORWARD_TOLERANCE,
  HOST_ACTIVATIONS,
  expectGradientsMatchFiniteDifferences,
  randomSource,
} from './finite-difference-check.js';

/**
 * The fused SimpleRNN kernel through the public backend API (the PyTorch goldens run in
 * @recur/conformance's suite, test/conformance.test.ts), against a float64 transcription of h' = act(x·W + h·U + b) with central finite differences for the
 * other activations.
 */

function simpleRnnKernel(backend: KernelBackend): FusedSequenceKernel {
  const kernel = backend.simpleRnnSequence;
  if (kernel === undefined) throw new Error('tsBackend has no simpleRnnSequence');
  return kernel;
}

// The float64 transcription, small sizes.
const N = 3;
const T = 4;
const I = 3;
const H = 3;

type Parameters = Record<string, number[]>; // x, h0, kernel, recurrentKernel and maybe bias
interface Upstream {
  readonly sequence: number[] | null;
  readonly h: number[];
}

/** h' = act(x_t · W + h · U + b), one sample and one step at a time, in float64. Returns the loss. */
function referenceLoss(
  activation: ActivationName,
  p: Parameters,
  mask: number[],
  upstream: Upstream,
  sequenceOut?: number[],
  finalOut?: number[],
): number {
  const act = HOST_ACTIVATIONS[activation];
  const { x, h0, kernel, recurrentKernel, bias } = p;
  let loss = 0;
  for (let n = 0; n < N; n++) {
    let h = h0.slice(n * H, n * H + H);
    for (let t = 0; t < T; t++) {
      const row = n * T + t;
      if (mask[row] === 0) {
        if (sequenceOut) sequenceOut.fill(0, row * H, row * H + H);
        continue;
      }
      h = h.map((_, j) => {
        let sum = bias === undefined ? 0 : bias[j];
        for (let k = 0; k < I; k++) sum += x[row * I + k] * kernel[k * H + j];
        for (let k = 0; k < H; k++) sum += h[k] * recurrentKernel[k * H + j];
        return act(sum);
      });
      for (let j = 0; j < H; j++) {
        if (upstream.sequence !== null) loss += h[j] * upstream.sequence[row * H + j];
        if (sequenceOut) sequenceOut[row * H + j] = h[j];
      }
    }
    for (let j = 0; j < H; j++) {
      loss += h[j] * upstream.h[n * H + j];
      if (finalOut) finalOut[n * H + j] = h[j];
    }
  }
  return loss;
}

interface VariantCase {
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly sequenceGradient: boolean;
}

const VARIANTS: VariantCase[] = [
  { activation: 'tanh', useBias: true, sequenceGradient: true },
  { activation: 'sigmoid', useBias: true, sequenceGradient: true },
  { activation: 'hard_sigmoid', useBias: true, sequenceGradient: true },
  { activation: 'softsign', useBias: true, sequenceGradient: false },
  { activation: 'relu', useBias: false, sequenceGradient: true },
  { activation: 'linear', useBias: true, sequenceGradient: true },
];

describe('simpleRnnSequence with other activations, masks and no bias, against the float64 equation', () => {
  for (const [index, { activation, useBias, sequenceGradient }] of VARIANTS.entries()) {
    const title = `activation ${activation}${useBias ? '' : ', no bias'}${sequenceGradient ? '' : ', final state gradient only'}`;
    it(title, () => {
      const random = randomSource(3307 + index);
      const draw = (size: number, scale: number): number[] =>
        Array.from({ length: size }, () => Math.fround(random(-scale, scale)));
      const p: Parameters = {
        // Wide enough that hard_sigmoid sees both its slope and its clipped region.
        x: draw(N * T * I, 3),
        h0: draw(N * H, 0.5),
        kernel: draw(I * H, 1.5),
        recurrentKernel: draw(H * H, 1),
      };
      if (useBias) p.bias = draw(H, 0.5);
      // Sample 0 skips its first step, sample 1 its last two, sample 2 its second.
      const mask = Array.from({ length: N * T }, (_, row) =>
        row === 0 || row === 6 || row === 7 || row === 9 ? 0 : 1,
      );
      const upstream: Upstream = { sequence: sequenceGradient ? draw(N * T * H, 1) : null, h: draw(N * H, 1) };
      // SimpleRNN ignores recurrentActivation, whatever it says.
      const config: RecurrentCellConfig = { activation, recurrentActivation: 'hard_sigmoid' };

      const backend = tsBackend();
      const kernel = simpleRnnKernel(backend);
      expect(kernel.supports(config)).toBe(true);
      const upload = (values: number[], shape: number[]): TensorInfo =>
        backend.upload(Float32Array.from(values), shape, 'float32');
      const inputs: SequenceInputs = {
        x: upload(p.x, [N, T, I]),
        initialState: [upload(p.h0, [N, H])],
        kernel: upload(p.kernel, [I, H]),
        recurrentKernel: upload(p.recurrentKernel, [H, H]),
        bias: useBias ? upload(p.bias, [H]) : null,
        mask: upload(mask, [N, T]),
      };
      const outputs = kernel.forward(config, inputs);
      const expectedSequence = new Array<number>(N * T * H).fill(0);
      const expectedFinal = new Array<number>(N * H).fill(0);
      referenceLoss(activation, p, mask, upstream, expectedSequence, expectedFinal);
      const sequence = backend.download(outputs.sequence);
      for (let k = 0; k < sequence.length; k++)
        expect(Math.abs(sequence[k] - expectedSequence[k])).toBeLessThanOrEqual(FORWARD_TOLERANCE);
      for (let row = 0; row < N * T; row++) {
        if (mask[row] === 0) for (let j = 0; j < H; j++) expect(sequence[row * H + j]).toBe(0);
      }
      const finalState = backend.download(outputs.finalState[0]);
      for (let k = 0; k < finalState.length; k++)
        expect(Math.abs(finalState[k] - expectedFinal[k])).toBeLessThanOrEqual(FORWARD_TOLERANCE);

      const grads = kernel.backward(config, inputs, outputs, {
        sequence: upstream.sequence === null ? null : upload(upstream.sequence, [N, T, H]),
        finalState: [upload(upstream.h, [N, H])],
        inputGradient: true,
      });
      expect(grads.bias === null).toBe(!useBias);
      const analytic: Record<string, ArrayLike<number>> = {
        x: backend.download(grads.x!),
        h0: backend.download(grads.initialState[0]),
        kernel: backend.download(grads.kernel),
        recurrentKernel: backend.download(grads.recurrentKernel),
      };
      if (grads.bias !== null) analytic.bias = backend.download(grads.bias);
      expectGradientsMatchFiniteDifferences(
        p,
        analytic,
        (shifted) => referenceLoss(activation, shifted, mask, upstream),
        draw,
      );
    });
  }
});

describe('simpleRnnSequence.supports and argument checks', () => {
  it('accepts the Keras activations, whatever the recurrent activation, and refuses others', () => {
    const kernel = simpleRnnKernel(tsBackend());
    expect(kernel.supports({ activation: 'relu', recurrentActivation: 'sigmoid' })).toBe(true);
    expect(kernel.supports({ activation: 'linear', recurrentActivation: 'swish' as never })).toBe(true);
    expect(kernel.supports({ activation: 'gelu' as never, recurrentActivation: 'sigmoid' })).toBe(false);
  });

  it('names the problem for a wrong shape or activation', () => {
    const backend = tsBackend();
    const kernel = simpleRnnKernel(backend);
    const config: RecurrentCellConfig = { activation: 'tanh', recurrentActivation: 'sigmoid' };
    const inputs: SequenceInputs = {
      x: backend.fill([2, 3, 4], 0.1, 'float32'),
      initialState: [backend.fill([2, 5], 0, 'float32')],
      kernel: backend.fill([4, 5], 0.1, 'float32'),
      recurrentKernel: backend.fill([5, 5], 0.1, 'float32'),
      bias: backend.fill([5], 0, 'float32'),
      mask: null,
    };
    expect(() => kernel.forward(config, { ...inputs, kernel: backend.fill([3, 5], 0.1, 'float32') })).toThrow(
      ShapeError,
    );
    expect(() => kernel.forward(config, { ...inputs, kernel: backend.fill([3, 5], 0.1, 'float32') })).toThrow(
      'SimpleRNN kernel must have shape [4, 5], got [3, 5]',
    );
    expect(() => kernel.forward(config, { ...inputs, initialState: [] })).toThrow(
      'SimpleRNN takes 1 initial state(s) [h], got 0',
    );
    expect(() => kernel.forward(config, { ...inputs, mask: backend.fill([2, 4], 1, 'float32') })).toThrow(
      'SimpleRNN mask must have shape [2, 3], got [2, 4]',
    );
    expect(() => kernel.forward({ ...config, activation: 'gelu' as never }, inputs)).toThrow(ValueError);
  });
});
