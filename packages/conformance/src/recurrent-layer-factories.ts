import { GRU, LSTM, SimpleRNN, type ActivationName, type FusedKernelChoice, type RNN } from '@recur/core';
import type { ReferenceMode } from './read-reference-cell.js';

/** What a golden case needs to build one direction of one stacked layer. */
export interface RecurrentLayerOptions {
  readonly units: number;
  readonly activation: ActivationName;
  /** Gate activation (LSTM, GRU); SimpleRNN has none. */
  readonly recurrentActivation: ActivationName | undefined;
  readonly useFusedKernel: FusedKernelChoice;
  readonly name: string;
}

/** Builds core layers for one kind of reference cell. */
export interface RecurrentLayerFactory {
  /**
   * The cell's states in Keras order, named as in the reference files (`h` -> `h0`, `h_n`;
   * `c` -> `c0`, `c_n`).
   */
  readonly stateNames: readonly string[];
  /** A layer returning its whole output sequence and its final states. */
  create(options: RecurrentLayerOptions): RNN;
}

/** A SimpleRNN factory with a fixed activation (PyTorch's RNN_TANH and RNN_RELU). */
function simpleRnn(activation: ActivationName): RecurrentLayerFactory {
  return {
    stateNames: ['h'],
    create: ({ units, useFusedKernel, name }) =>
      new SimpleRNN({ units, activation, useFusedKernel, name, returnSequences: true, returnState: true }),
  };
}

/**
 * Reference cell kinds the suite can run, by PyTorch mode; a kind without an entry is reported
 * as not supported. Everything else about a golden case (weights by Keras name, states, masks,
 * layouts) is shared by all kinds. PyTorch's GRU is Keras's GRU with `resetAfter: true`
 * (bias `[2, 3H]`: input row, recurrent row).
 */
export const RECURRENT_LAYER_FACTORIES: { readonly [mode in ReferenceMode]?: RecurrentLayerFactory } = {
  LSTM: {
    stateNames: ['h', 'c'],
    create: ({ units, activation, recurrentActivation, useFusedKernel, name }) =>
      new LSTM({
        units,
        activation,
        recurrentActivation,
        useFusedKernel,
        name,
        returnSequences: true,
        returnState: true,
      }),
  },
  GRU: {
    stateNames: ['h'],
    create: ({ units, activation, recurrentActivation, useFusedKernel, name }) =>
      new GRU({
        units,
        activation,
        recurrentActivation,
        resetAfter: true,
        useFusedKernel,
        name,
        returnSequences: true,
        returnState: true,
      }),
  },
  RNN_TANH: simpleRnn('tanh'),
  RNN_RELU: simpleRnn('relu'),
};
