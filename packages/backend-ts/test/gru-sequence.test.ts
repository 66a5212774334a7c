import { describe, expect, it } from 'vitest';
import type { FusedSequenceKernel, KernelBackend, RecurrentCellConfig, SequenceInputs, TensorInfo } from '@recur/core';
import { ShapeError, ValueError } from '@recur/core';
import { tsBackend } from '../src/index.js';
import {
  FORWARD_TOLERANCE,
  HOST_ACTIVATIONS,
  expectGradientsMatchFiniteDifferences,
  randomSource,
} from './finite-difference-check.js';

/**
 * The fused GRU kernel through the public backend API (the PyTorch and ONNX goldens run in
 * @recur/conformance's suite, test/conformance.test.ts), against
 * - a float64 transcription of the Keras equations and central finite differences for the
 *   other activations, both resetAfter values, masks and a missing bias.
 */

function gruKernel(backend: KernelBackend): FusedSequenceKernel {
  const kernel = backend.gruSequence;
  if (kernel === undefined) throw new Error('tsBackend has no gruSequence');
  return kernel;
}

// The float64 transcription of the Keras GRU, small sizes.
const N = 3;
const T = 4;
const I = 3;
const H = 3;
const G = 3 * H;

type Parameters = Record<string, number[]>; // x, h0, kernel, recurrentKernel and maybe bias
interface Upstream {
  readonly sequence: number[] | null;
  readonly h: number[];
}

/** The Keras GRU equations, one sample and one step at a time, in float64. Returns the loss. */
function referenceLoss(
  config: RecurrentCellConfig,
  p: Parameters,
  mask: number[],
  upstream: Upstream,
  sequenceOut?: number[],
  finalOut?: number[],
): number {
  const ra = HOST_ACTIVATIONS[config.recurrentActivation];
  const act = HOST_ACTIVATIONS[config.activation];
  const resetAfter = config.resetAfter ?? true;
  const bias = p.bias;
  const inputBias = (g: number): number => (bias === undefined ? 0 : bias[g]);
  const recurrentBias = (g: number): number => (bias === undefined || !resetAfter ? 0 : bias[G + g]);
  const { x, h0, kernel, recurrentKernel } = p;
  let loss = 0;
  for (let n = 0; n < N; n++) {
    let h = h0.slice(n * H, n * H + H);
    for (let t = 0; t < T; t++) {
      const row = n * T + t;
      if (mask[row] === 0) {
        if (sequenceOut) sequenceOut.fill(0, row * H, row * H + H);
        continue;
      }
      const inputPart = (g: number): number => {
        let sum = inputBias(g);
        for (let k = 0; k < I; k++) sum += x[row * I + k] * kernel[k * G + g];
        return sum;
      };
      const recurrentPart = (g: number, operand: number[]): number => {
        let sum = recurrentBias(g);
        for (let k = 0; k < H; k++) sum += operand[k] * recurrentKernel[k * G + g];
        return sum;
      };
      const z = h.map((_, j) => ra(inputPart(j) + recurrentPart(j, h)));
      const r = h.map((_, j) => ra(inputPart(H + j) + recurrentPart(H + j, h)));
      const resetHidden = h.map((value, j) => r[j] * value);
      const candidate = h.map((_, j) =>
        act(
          inputPart(2 * H + j) +
            (resetAfter ? r[j] * recurrentPart(2 * H + j, h) : recurrentPart(2 * H + j, resetHidden)),
        ),
      );
      h = h.map((value, j) => z[j] * value + (1 - z[j]) * candidate[j]);
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
  readonly config: RecurrentCellConfig;
  readonly useBias: boolean;
  readonly sequenceGradient: boolean;
}

const VARIANTS: VariantCase[] = [
  {
    config: { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: false },
    useBias: true,
    sequenceGradient: true,
  },
  {
    config: { activation: 'relu', recurrentActivation: 'hard_sigmoid', resetAfter: true },
    useBias: true,
    sequenceGradient: true,
  },
  {
    config: { activation: 'relu', recurrentActivation: 'hard_sigmoid', resetAfter: false },
    useBias: true,
    sequenceGradient: true,
  },
  {
    config: { activation: 'softsign', recurrentActivation: 'sigmoid', resetAfter: true },
    useBias: true,
    sequenceGradient: false,
  },
  {
    config: { activation: 'linear', recurrentActivation: 'softsign', resetAfter: false },
    useBias: true,
    sequenceGradient: true,
  },
  {
    config: { activation: 'tanh', recurrentActivation: 'relu', resetAfter: true },
    useBias: true,
    sequenceGradient: true,
  },
  {
    config: { activation: 'hard_sigmoid', recurrentActivation: 'linear', resetAfter: false },
    useBias: true,
    sequenceGradient: true,
  },
  {
    config: { activation: 'sigmoid', recurrentActivation: 'tanh', resetAfter: true },
    useBias: false,
    sequenceGradient: true,
  },
  {
    config: { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: false },
    useBias: false,
    sequenceGradient: false,
  },
];

describe('gruSequence with other activations, masks and no bias, against the float64 equations', () => {
  for (const [index, { config, useBias, sequenceGradient }] of VARIANTS.entries()) {
    const title =
      `activation ${config.activation}, recurrent ${config.recurrentActivation}, resetAfter ${config.resetAfter}` +
      `${useBias ? '' : ', no bias'}${sequenceGradient ? '' : ', final state gradient only'}`;
    it(title, () => {
      const random = randomSource(2203 + index);
      const draw = (size: number, scale: number): number[] =>
        Array.from({ length: size }, () => Math.fround(random(-scale, scale)));
      const biasShape = config.resetAfter ? [2, G] : [G];
      const p: Parameters = {
        // Wide enough that hard_sigmoid sees both its slope and its clipped region.
        x: draw(N * T * I, 3),
        h0: draw(N * H, 0.5),
        kernel: draw(I * G, 1.5),
        recurrentKernel: draw(H * G, 1),
      };
      if (useBias) p.bias = draw(biasShape[0] * (biasShape[1] ?? 1), 0.5);
      // Sample 0 skips its first step, sample 1 its last two, sample 2 its second.
      const mask = Array.from({ length: N * T }, (_, row) =>
        row === 0 || row === 6 || row === 7 || row === 9 ? 0 : 1,
      );
      const upstream: Upstream = { sequence: sequenceGradient ? draw(N * T * H, 1) : null, h: draw(N * H, 1) };

      const backend = tsBackend();
      const kernel = gruKernel(backend);
      expect(kernel.supports(config)).toBe(true);
      const upload = (values: number[], shape: number[]): TensorInfo =>
        backend.upload(Float32Array.from(values), shape, 'float32');
      const inputs: SequenceInputs = {
        x: upload(p.x, [N, T, I]),
        initialState: [upload(p.h0, [N, H])],
        kernel: upload(p.kernel, [I, G]),
        recurrentKernel: upload(p.recurrentKernel, [H, G]),
        bias: useBias ? upload(p.bias, biasShape) : null,
        mask: upload(mask, [N, T]),
      };
      const outputs = kernel.forward(config, inputs);
      const expectedSequence = new Array<number>(N * T * H).fill(0);
      const expectedFinal = new Array<number>(N * H).fill(0);
      referenceLoss(config, p, mask, upstream, expectedSequence, expectedFinal);
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
      if (grads.bias !== null) expect(grads.bias.shape).toEqual(biasShape);
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
        (shifted) => referenceLoss(config, shifted, mask, upstream),
        draw,
      );
    });
  }
});

describe('gruSequence.supports and argument checks', () => {
  it('accepts the Keras activations with either resetAfter and refuses others', () => {
    const kernel = gruKernel(tsBackend());
    expect(kernel.supports({ activation: 'relu', recurrentActivation: 'hard_sigmoid', resetAfter: false })).toBe(true);
    expect(kernel.supports({ activation: 'linear', recurrentActivation: 'softsign', resetAfter: true })).toBe(true);
    expect(kernel.supports({ activation: 'tanh', recurrentActivation: 'sigmoid' })).toBe(true);
    expect(kernel.supports({ activation: 'gelu' as never, recurrentActivation: 'sigmoid', resetAfter: true })).toBe(
      false,
    );
    expect(kernel.supports({ activation: 'tanh', recurrentActivation: 'swish' as never, resetAfter: false })).toBe(
      false,
    );
  });

  it('names the expected bias shape of each resetAfter setting', () => {
    const backend = tsBackend();
    const kernel = gruKernel(backend);
    const inputs = (biasShape: number[]): SequenceInputs => ({
      x: backend.fill([2, 3, 4], 0.1, 'float32'),
      initialState: [backend.fill([2, 5], 0, 'float32')],
      kernel: backend.fill([4, 15], 0.1, 'float32'),
      recurrentKernel: backend.fill([5, 15], 0.1, 'float32'),
      bias: backend.fill(biasShape, 0, 'float32'),
      mask: null,
    });
    const after: RecurrentCellConfig = { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true };
    const before: RecurrentCellConfig = { ...after, resetAfter: false };
    expect(() => kernel.forward(after, inputs([15]))).toThrow(ShapeError);
    expect(() => kernel.forward(after, inputs([15]))).toThrow('GRU bias must have shape [2, 15], got [15]');
    expect(() => kernel.forward(before, inputs([2, 15]))).toThrow('GRU bias must have shape [15], got [2, 15]');
    expect(() => kernel.forward({ ...after, activation: 'gelu' as never }, inputs([2, 15]))).toThrow(ValueError);
  });
});
