import { describe, expect, it } from 'vitest';
import type { FusedSequenceKernel, KernelBackend, RecurrentCellConfig } from '@recur/core';
import { tsBackend } from '../src/index.js';
import { randomSource } from './finite-difference-check.js';

/**
 * Steps a mask skips (post-padding, as PyTorch's packed sequences and Keras's masking give):
 * their output is exactly 0 and their input never enters the computation, so dL/dx is exactly 0
 * there, whatever the upstream gradient. (Values near them are checked against PyTorch in the
 * conformance suite's packed golden cases.)
 */

const [N, T, I, H] = [3, 5, 4, 3];
const LENGTHS = [5, 2, 3];

const CELLS: readonly {
  name: string;
  gates: number;
  states: number;
  kernel: (backend: KernelBackend) => FusedSequenceKernel;
  config: RecurrentCellConfig;
}[] = [
  {
    name: 'LSTM',
    gates: 4,
    states: 2,
    kernel: (backend) => backend.lstmSequence!,
    config: { activation: 'tanh', recurrentActivation: 'sigmoid' },
  },
  {
    name: 'GRU',
    gates: 3,
    states: 1,
    kernel: (backend) => backend.gruSequence!,
    config: { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true },
  },
  {
    name: 'SimpleRNN',
    gates: 1,
    states: 1,
    kernel: (backend) => backend.simpleRnnSequence!,
    config: { activation: 'tanh', recurrentActivation: 'sigmoid' },
  },
];

describe('fused kernels at masked steps', () => {
  for (const cell of CELLS) {
    it(`${cell.name}: output and dL/dx are exactly 0 where the mask skips`, () => {
      const backend = tsBackend();
      const random = randomSource(17);
      const values = (count: number) => Float32Array.from({ length: count }, () => random(-0.8, 0.8));
      const G = cell.gates * H;
      const mask = new Float32Array(N * T);
      LENGTHS.forEach((length, n) => mask.fill(1, n * T, n * T + length));
      const inputs = {
        x: backend.upload(values(N * T * I), [N, T, I], 'float32'),
        initialState: Array.from({ length: cell.states }, () => backend.upload(values(N * H), [N, H], 'float32')),
        kernel: backend.upload(values(I * G), [I, G], 'float32'),
        recurrentKernel: backend.upload(values(H * G), [H, G], 'float32'),
        bias:
          cell.name === 'GRU'
            ? backend.upload(values(2 * G), [2, G], 'float32')
            : backend.upload(values(G), [G], 'float32'),
        mask: backend.upload(mask, [N, T], 'float32'),
      };
      const kernel = cell.kernel(backend);
      const outputs = kernel.forward(cell.config, inputs);
      const grads = kernel.backward(cell.config, inputs, outputs, {
        sequence: backend.upload(values(N * T * H), [N, T, H], 'float32'),
        finalState: inputs.initialState.map(() => null),
        inputGradient: true,
      });
      const sequence = backend.download(outputs.sequence);
      const dx = backend.download(grads.x!);
      for (let n = 0; n < N; n++) {
        for (let t = LENGTHS[n]; t < T; t++) {
          expect(Array.from(sequence.subarray((n * T + t) * H, (n * T + t + 1) * H))).toEqual(new Array(H).fill(0));
          expect(Array.from(dx.subarray((n * T + t) * I, (n * T + t + 1) * I))).toEqual(new Array(I).fill(0));
        }
      }
    });
  }
});
