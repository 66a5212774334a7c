import { describe, expect, it } from 'vitest';
import { LSTM, LSTMCell, RandomGenerator, Sequential, ops, type Tensor } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';
import { assertDirectionalDerivatives, checkDirectionalDerivatives } from '@recur/conformance';

const N = 2;
const T = 4;
const I = 3;
const H = 3;

/** Uniform values in [-scale, scale) rounded to multiples of 2^-16, so finite-difference steps are exact in float32. */
function randomInput(random: RandomGenerator, shape: readonly number[], scale: number) {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return {
    shape,
    dtype: 'float32' as const,
    values: Array.from({ length: size }, () => Math.round((2 * random.uniform() - 1) * scale * 65536) / 65536),
  };
}

/**
 * No golden gradients exist for peephole LSTMs (PyTorch has none), so the reverse-mode
 * gradients of the peephole cell are checked against central finite differences of its own
 * forward pass, for every weight, the input and both initial states.
 */
describe('LSTM with peepholes: gradients', () => {
  it('match central finite differences through the whole sequence (output and final cell state)', () => {
    const cell = new LSTMCell({ units: H, peephole: true });
    const random = new RandomGenerator(11);
    const inputs = [
      randomInput(random, [N, T, I], 1), // x
      randomInput(random, [I, 4 * H], 0.8), // kernel
      randomInput(random, [H, 4 * H], 0.8), // recurrent_kernel
      randomInput(random, [4 * H], 0.5), // bias
      randomInput(random, [3, H], 1), // peephole_kernel, rows i, f, o
      randomInput(random, [N, H], 0.5), // h0
      randomInput(random, [N, H], 1), // c0
    ];
    const forward = (
      _engine: unknown,
      [x, kernel, recurrentKernel, bias, peepholeKernel, h0, c0]: readonly Tensor[],
    ) => {
      const weights = { kernel, recurrentKernel, bias, peepholeKernel };
      const projected = ops.reshape(cell.projectInput(ops.reshape(x, [N * T, I]), weights), [N, T, 4 * H]);
      let states = [h0, c0];
      const outputs: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        states = cell.step(
          ops.reshape(ops.slice(projected, [0, t, 0], [N, 1, 4 * H]), [N, 4 * H]),
          states,
          weights,
          null,
        );
        outputs.push(states[0]);
      }
      return ops.concat([...outputs, states[1]], 1);
    };
    const checks = checkDirectionalDerivatives(tsBackend, { inputs, forward }, new RandomGenerator(12));
    expect(checks).toHaveLength(inputs.length);
    assertDirectionalDerivatives(checks, false);
  });

  it('fused kernels decline peepholes: requiring one is an error, auto runs the composite loop', () => {
    const build = (useFusedKernel: true | 'auto') => {
      const model = new Sequential([new LSTM({ units: 2, peephole: true, useFusedKernel, inputShape: [null, 2] })]);
      model.build({ backend: tsBackend(), seed: 13 });
      return model;
    };
    const x = { shape: [1, 3, 2], values: Float32Array.from([0.5, -0.25, 0.75, 0.125, -0.5, 1]) };
    expect(() => build(true).predict(x)).toThrow(/no fused LSTMCell kernel/);
    expect(build('auto').predict(x).shape).toEqual([1, 2]);
  });
});
