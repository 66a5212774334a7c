import { describe, expect, it } from 'vitest';
import type { FusedSequenceKernel, KernelBackend, RecurrentCellConfig, SequenceInputs, TensorInfo } from '@recur/core';
import { ShapeError, ValueError } from '@recur/core';
import { tsBackend } from '../src/index.js';
import { HOST_ACTIVATIONS, expectGradientsMatchFiniteDifferences, randomSource } from './finite-difference-check.js';
import {
  FORWARD_TOLERANCE,
  cellCaseNames,
  expectForwardClose,
  expectGradientClose,
  firstAxisEntry,
  loadCellCase,
  loadOnnxCase,
  maskFromLengths,
  toBatchFirst,
  uploadReference,
  type CellCase,
  type ReferenceTensor,
} from './reference-cases.js';

/**
 * The fused GRU kernel through the public backend API, against outside references:
 * - PyTorch float64 goldens (nn.GRU = Keras reset_after=True; weights in Keras layout);
 * - the ONNX GRU with linear_before_reset=0 (= Keras reset_after=False), weights converted
 *   here from ONNX layout;
 * - a float64 transcription of the Keras equations and central finite differences for the
 *   other activations, both resetAfter values, masks and a missing bias.
 */

const GOLDEN_CONFIG: RecurrentCellConfig = { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true };

function gruKernel(backend: KernelBackend): FusedSequenceKernel {
  const kernel = backend.gruSequence;
  if (kernel === undefined) throw new Error('tsBackend has no gruSequence');
  return kernel;
}

/** Kernel inputs of stacked layer `layer` (forward direction) of a unidirectional case. */
function layerInputs(
  backend: KernelBackend,
  reference: CellCase,
  layer: number,
  x: TensorInfo,
  mask: TensorInfo | null,
): SequenceInputs {
  const weights = reference.keras.layers[layer].forward;
  return {
    x,
    initialState: [uploadReference(backend, firstAxisEntry(reference.inputs.h0, layer))],
    kernel: uploadReference(backend, weights.kernel),
    recurrentKernel: uploadReference(backend, weights.recurrent_kernel),
    bias: uploadReference(backend, weights.bias),
    mask,
  };
}

function batchFirstOf(reference: CellCase, tensor: ReferenceTensor): ReferenceTensor {
  return reference.config.batch_first ? tensor : toBatchFirst(tensor);
}

describe('gruSequence against PyTorch goldens (single layer, unidirectional, reset_after)', () => {
  const names = cellCaseNames('gru_l1_uni_');
  it('finds the reference cases', () => {
    expect(names.length).toBeGreaterThanOrEqual(3);
  });

  for (const name of names) {
    it(`${name}: forward and backward`, () => {
      const reference = loadCellCase(name);
      expect(reference.keras.options.reset_after).toBe(true);
      const backend = tsBackend();
      const kernel = gruKernel(backend);
      expect(kernel.supports(GOLDEN_CONFIG)).toBe(true);
      const x = uploadReference(backend, batchFirstOf(reference, reference.inputs.x));
      const inputs = layerInputs(backend, reference, 0, x, null);

      const outputs = kernel.forward(GOLDEN_CONFIG, inputs);
      expectForwardClose(backend, outputs.sequence, batchFirstOf(reference, reference.outputs.output), 'sequence');
      expectForwardClose(backend, outputs.finalState[0], firstAxisEntry(reference.outputs.h_n, 0), 'final h');

      const upstream = reference.upstream_grads;
      const grads = kernel.backward(GOLDEN_CONFIG, inputs, outputs, {
        sequence: uploadReference(backend, batchFirstOf(reference, upstream.output)),
        finalState: [uploadReference(backend, firstAxisEntry(upstream.h_n, 0))],
        inputGradient: true,
      });
      const weightGrads = reference.keras.grads[0].forward;
      expectGradientClose(backend, grads.x, batchFirstOf(reference, reference.grads.x), 'dx');
      expectGradientClose(backend, grads.initialState[0], firstAxisEntry(reference.grads.h0, 0), 'dh0');
      expectGradientClose(backend, grads.kernel, weightGrads.kernel, 'dKernel');
      expectGradientClose(backend, grads.recurrentKernel, weightGrads.recurrent_kernel, 'dRecurrentKernel');
      expectGradientClose(backend, grads.bias, weightGrads.bias, 'dBias [2, 3H]');
    });
  }
});

describe('gruSequence with a mask: two stacked layers of a packed case', () => {
  // PyTorch's packed sequence equals a mask of t < lengths[n] with the output exactly 0 at
  // padded steps. Layer 1 reads layer 0's output sequence, so chaining the two kernels (and
  // feeding layer 1's dx back as layer 0's sequence gradient) reproduces the whole module.
  it('gru_l2_uni_sf_zero_packed: forward and backward', () => {
    const reference = loadCellCase('gru_l2_uni_sf_zero_packed');
    expect(reference.config.num_layers).toBe(2);
    expect(reference.config.bidirectional).toBe(false);
    const backend = tsBackend();
    const kernel = gruKernel(backend);
    const lengths: number[] = reference.config.lengths;
    const [batch, steps, features] = batchFirstOf(reference, reference.inputs.x).shape;
    const units: number = reference.config.hidden_size;
    const mask = maskFromLengths(backend, lengths, steps);
    expect(mask).not.toBeNull();

    const inputs0 = layerInputs(backend, reference, 0, uploadReference(backend, batchFirstOf(reference, reference.inputs.x)), mask);
    const outputs0 = kernel.forward(GOLDEN_CONFIG, inputs0);
    const inputs1 = layerInputs(backend, reference, 1, outputs0.sequence, mask);
    const outputs1 = kernel.forward(GOLDEN_CONFIG, inputs1);
    expectForwardClose(backend, outputs1.sequence, batchFirstOf(reference, reference.outputs.output), 'sequence');
    expectForwardClose(backend, outputs0.finalState[0], firstAxisEntry(reference.outputs.h_n, 0), 'final h, layer 0');
    expectForwardClose(backend, outputs1.finalState[0], firstAxisEntry(reference.outputs.h_n, 1), 'final h, layer 1');
    for (const outputs of [outputs0, outputs1]) {
      const sequence = backend.download(outputs.sequence);
      for (let n = 0; n < batch; n++) {
        for (let t = lengths[n]; t < steps; t++) {
          for (let j = 0; j < units; j++) expect(sequence[(n * steps + t) * units + j]).toBe(0);
        }
      }
    }

    const upstream = reference.upstream_grads;
    const grads1 = kernel.backward(GOLDEN_CONFIG, inputs1, outputs1, {
      sequence: uploadReference(backend, batchFirstOf(reference, upstream.output)),
      finalState: [uploadReference(backend, firstAxisEntry(upstream.h_n, 1))],
      inputGradient: true,
    });
    const grads0 = kernel.backward(GOLDEN_CONFIG, inputs0, outputs0, {
      sequence: grads1.x,
      finalState: [uploadReference(backend, firstAxisEntry(upstream.h_n, 0))],
      inputGradient: true,
    });
    expectGradientClose(backend, grads0.x, batchFirstOf(reference, reference.grads.x), 'dx');
    const dx = backend.download(grads0.x!);
    for (let n = 0; n < batch; n++) {
      for (let t = lengths[n]; t < steps; t++) {
        for (let f = 0; f < features; f++) expect(dx[(n * steps + t) * features + f]).toBe(0);
      }
    }
    for (const [layer, grads] of [grads0, grads1].entries()) {
      const weightGrads = reference.keras.grads[layer].forward;
      expectGradientClose(backend, grads.initialState[0], firstAxisEntry(reference.grads.h0, layer), `dh0, layer ${layer}`);
      expectGradientClose(backend, grads.kernel, weightGrads.kernel, `dKernel, layer ${layer}`);
      expectGradientClose(backend, grads.recurrentKernel, weightGrads.recurrent_kernel, `dRecurrentKernel, layer ${layer}`);
      expectGradientClose(backend, grads.bias, weightGrads.bias, `dBias, layer ${layer}`);
    }
  });
});

describe('gruSequence with resetAfter false against the ONNX GRU (linear_before_reset = 0)', () => {
  it('gru_linear_before_reset_0: forward', () => {
    const onnx = loadOnnxCase('gru_linear_before_reset_0');
    expect(onnx.onnx_ops).toEqual(['GRU']);
    const { W, R, B } = onnx.onnx_weights as Record<string, ReferenceTensor>;
    const [, gateRows, inputSize] = W.shape;
    const units = R.shape[2];
    const G = 3 * units;
    expect(gateRows).toBe(G);
    // ONNX row blocks z, r, h are already Keras's column order: kernel = W[0]^T,
    // recurrentKernel = R[0]^T, and the single Keras bias is Wb + Rb.
    const kernel = new Float32Array(inputSize * G);
    for (let g = 0; g < G; g++) for (let i = 0; i < inputSize; i++) kernel[i * G + g] = W.data[g * inputSize + i];
    const recurrentKernel = new Float32Array(units * G);
    for (let g = 0; g < G; g++) for (let k = 0; k < units; k++) recurrentKernel[k * G + g] = R.data[g * units + k];
    const bias = Float32Array.from({ length: G }, (_, g) => B.data[g] + B.data[G + g]);
    // The file also carries the Keras-layout weights; the conversion above must agree.
    const keras = onnx.keras_reset_after_false.forward;
    expect(Array.from(kernel)).toEqual(keras.kernel.data.map(Math.fround));
    expect(Array.from(recurrentKernel)).toEqual(keras.recurrent_kernel.data.map(Math.fround));
    bias.forEach((value, g) => expect(Math.abs(value - keras.bias.data[g])).toBeLessThan(1e-7));

    const config: RecurrentCellConfig = { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: false };
    const backend = tsBackend();
    const gru = gruKernel(backend);
    expect(gru.supports(config)).toBe(true);
    for (const testCase of onnx.cases) {
      const X: ReferenceTensor = testCase.inputs.X; // [T, N, I]
      const [steps, batch] = X.shape;
      const outputs = gru.forward(config, {
        x: uploadReference(backend, toBatchFirst(X)),
        initialState: [uploadReference(backend, firstAxisEntry(testCase.inputs.initial_h, 0))],
        kernel: backend.upload(kernel, [inputSize, G], 'float32'),
        recurrentKernel: backend.upload(recurrentKernel, [units, G], 'float32'),
        bias: backend.upload(bias, [G], 'float32'),
        mask: null,
      });
      // Y is [T, D = 1, N, H]: the same values as [T, N, H].
      const Y: ReferenceTensor = testCase.expected_outputs.Y;
      expect(Y.shape).toEqual([steps, 1, batch, units]);
      expectForwardClose(backend, outputs.sequence, toBatchFirst({ ...Y, shape: [steps, batch, units] }), 'Y');
      expectForwardClose(backend, outputs.finalState[0], firstAxisEntry(testCase.expected_outputs.Y_h, 0), 'Y_h');
    }
  });
});

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
  { config: { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: false }, useBias: true, sequenceGradient: true },
  { config: { activation: 'relu', recurrentActivation: 'hard_sigmoid', resetAfter: true }, useBias: true, sequenceGradient: true },
  { config: { activation: 'relu', recurrentActivation: 'hard_sigmoid', resetAfter: false }, useBias: true, sequenceGradient: true },
  { config: { activation: 'softsign', recurrentActivation: 'sigmoid', resetAfter: true }, useBias: true, sequenceGradient: false },
  { config: { activation: 'linear', recurrentActivation: 'softsign', resetAfter: false }, useBias: true, sequenceGradient: true },
  { config: { activation: 'tanh', recurrentActivation: 'relu', resetAfter: true }, useBias: true, sequenceGradient: true },
  { config: { activation: 'hard_sigmoid', recurrentActivation: 'linear', resetAfter: false }, useBias: true, sequenceGradient: true },
  { config: { activation: 'sigmoid', recurrentActivation: 'tanh', resetAfter: true }, useBias: false, sequenceGradient: true },
  { config: { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: false }, useBias: false, sequenceGradient: false },
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
      const mask = Array.from({ length: N * T }, (_, row) => (row === 0 || row === 6 || row === 7 || row === 9 ? 0 : 1));
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
      for (let k = 0; k < sequence.length; k++) expect(Math.abs(sequence[k] - expectedSequence[k])).toBeLessThanOrEqual(FORWARD_TOLERANCE);
      for (let row = 0; row < N * T; row++) {
        if (mask[row] === 0) for (let j = 0; j < H; j++) expect(sequence[row * H + j]).toBe(0);
      }
      const finalState = backend.download(outputs.finalState[0]);
      for (let k = 0; k < finalState.length; k++) expect(Math.abs(finalState[k] - expectedFinal[k])).toBeLessThanOrEqual(FORWARD_TOLERANCE);

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
      expectGradientsMatchFiniteDifferences(p, analytic, (shifted) => referenceLoss(config, shifted, mask, upstream), draw);
    });
  }
});

describe('gruSequence.supports and argument checks', () => {
  it('accepts the Keras activations with either resetAfter and refuses others', () => {
    const kernel = gruKernel(tsBackend());
    expect(kernel.supports({ activation: 'relu', recurrentActivation: 'hard_sigmoid', resetAfter: false })).toBe(true);
    expect(kernel.supports({ activation: 'linear', recurrentActivation: 'softsign', resetAfter: true })).toBe(true);
    expect(kernel.supports({ activation: 'tanh', recurrentActivation: 'sigmoid' })).toBe(true);
    expect(kernel.supports({ activation: 'gelu' as never, recurrentActivation: 'sigmoid', resetAfter: true })).toBe(false);
    expect(kernel.supports({ activation: 'tanh', recurrentActivation: 'swish' as never, resetAfter: false })).toBe(false);
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
