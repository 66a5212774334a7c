import { describe, expect, it } from 'vitest';
import type { RecurrentCellConfig, TensorInfo } from '@recur/core';
import { tsBackend } from '../src/index.js';
import { HOST_ACTIVATIONS, expectGradientsMatchFiniteDifferences, randomSource } from './finite-difference-check.js';

/**
 * The goldens only cover tanh / sigmoid without masks in every combination. Here the other
 * Keras activations (and a mask) are checked against a plain float64 transcription of the
 * cell equations, and the backward pass against central finite differences of that
 * transcription along random directions (one directional derivative per input tensor).
 */

const N = 3;
const T = 4;
const I = 3;
const H = 2;
const G = 4 * H;

type Parameters = {
  x: number[];
  h0: number[];
  c0: number[];
  kernel: number[];
  recurrentKernel: number[];
  bias: number[];
};
type ParameterName = keyof Parameters;
const SHAPES: Record<ParameterName, number[]> = {
  x: [N, T, I],
  h0: [N, H],
  c0: [N, H],
  kernel: [I, G],
  recurrentKernel: [H, G],
  bias: [G],
};

/** The LSTM equations, one sample and one step at a time, in float64. Returns the loss. */
function referenceLoss(
  config: RecurrentCellConfig,
  p: Parameters,
  mask: number[],
  upstream: { sequence: number[]; h: number[]; c: number[] },
  sequenceOut?: number[],
): number {
  const ra = HOST_ACTIVATIONS[config.recurrentActivation];
  const act = HOST_ACTIVATIONS[config.activation];
  let loss = 0;
  for (let n = 0; n < N; n++) {
    let h = p.h0.slice(n * H, n * H + H);
    let c = p.c0.slice(n * H, n * H + H);
    for (let t = 0; t < T; t++) {
      const row = n * T + t;
      if (mask[row] === 0) {
        if (sequenceOut) for (let j = 0; j < H; j++) sequenceOut[row * H + j] = 0;
        continue;
      }
      const z = p.bias.slice();
      for (let gate = 0; gate < G; gate++) {
        for (let k = 0; k < I; k++) z[gate] += p.x[row * I + k] * p.kernel[k * G + gate];
        for (let k = 0; k < H; k++) z[gate] += h[k] * p.recurrentKernel[k * G + gate];
      }
      const nextH: number[] = [];
      const nextC: number[] = [];
      for (let j = 0; j < H; j++) {
        const cell = ra(z[H + j]) * c[j] + ra(z[j]) * act(z[2 * H + j]);
        nextC.push(cell);
        nextH.push(ra(z[3 * H + j]) * act(cell));
      }
      h = nextH;
      c = nextC;
      for (let j = 0; j < H; j++) {
        loss += h[j] * upstream.sequence[row * H + j];
        if (sequenceOut) sequenceOut[row * H + j] = h[j];
      }
    }
    for (let j = 0; j < H; j++) loss += h[j] * upstream.h[n * H + j] + c[j] * upstream.c[n * H + j];
  }
  return loss;
}

const CONFIGS: RecurrentCellConfig[] = [
  { activation: 'relu', recurrentActivation: 'hard_sigmoid' },
  { activation: 'softsign', recurrentActivation: 'sigmoid' },
  { activation: 'linear', recurrentActivation: 'softsign' },
  { activation: 'tanh', recurrentActivation: 'relu' },
  { activation: 'hard_sigmoid', recurrentActivation: 'linear' },
];

describe('lstmSequence with other activations and a mask, against the float64 equations', () => {
  for (const [index, config] of CONFIGS.entries()) {
    it(`activation ${config.activation}, recurrent ${config.recurrentActivation}`, () => {
      const random = randomSource(1301 + index);
      const draw = (size: number, scale: number): number[] =>
        Array.from({ length: size }, () => Math.fround(random(-scale, scale)));
      const p: Parameters = {
        // Wide enough that hard_sigmoid sees both its slope and its clipped region.
        x: draw(N * T * I, 3),
        h0: draw(N * H, 0.5),
        c0: draw(N * H, 0.5),
        kernel: draw(I * G, 1.5),
        recurrentKernel: draw(H * G, 1),
        bias: draw(G, 0.5),
      };
      // Sample 1 skips its last two steps, sample 2 its second step.
      const mask = Array.from({ length: N * T }, (_, row) => (row === 6 || row === 7 || row === 9 ? 0 : 1));
      const upstream = { sequence: draw(N * T * H, 1), h: draw(N * H, 1), c: draw(N * H, 1) };

      const backend = tsBackend();
      const kernel = backend.lstmSequence!;
      expect(kernel.supports(config)).toBe(true);
      const upload = (values: number[], shape: number[]): TensorInfo =>
        backend.upload(Float32Array.from(values), shape, 'float32');
      const inputs = {
        x: upload(p.x, SHAPES.x),
        initialState: [upload(p.h0, SHAPES.h0), upload(p.c0, SHAPES.c0)],
        kernel: upload(p.kernel, SHAPES.kernel),
        recurrentKernel: upload(p.recurrentKernel, SHAPES.recurrentKernel),
        bias: upload(p.bias, SHAPES.bias),
        mask: upload(mask, [N, T]),
      };
      const outputs = kernel.forward(config, inputs);
      const expectedSequence = new Array<number>(N * T * H).fill(0);
      referenceLoss(config, p, mask, upstream, expectedSequence);
      const sequence = backend.download(outputs.sequence);
      for (let k = 0; k < sequence.length; k++) expect(Math.abs(sequence[k] - expectedSequence[k])).toBeLessThan(1e-5);

      const grads = kernel.backward(config, inputs, outputs, {
        sequence: upload(upstream.sequence, [N, T, H]),
        finalState: [upload(upstream.h, [N, H]), upload(upstream.c, [N, H])],
        inputGradient: true,
      });
      expectGradientsMatchFiniteDifferences(
        p,
        {
          x: backend.download(grads.x!),
          h0: backend.download(grads.initialState[0]),
          c0: backend.download(grads.initialState[1]),
          kernel: backend.download(grads.kernel),
          recurrentKernel: backend.download(grads.recurrentKernel),
          bias: backend.download(grads.bias!),
        },
        (shifted) => referenceLoss(config, shifted, mask, upstream),
        draw,
      );
    });
  }
});
