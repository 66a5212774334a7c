import { describe, expect, it } from 'vitest';
import { Dense, GRAPH_CONTRACT_VERSION, Sequential, type GraphBackend, type KernelBackend } from '@recur/core';
import { graphModelCases } from './graph-model-cases.js';
import { registerGraphParityCases } from './graph-parity-cases.js';
import { registerGraphSourceCases } from './graph-source-cases.js';
import { registerStreamStateCases } from './stream-state-cases.js';

export interface GraphBackendSuiteOptions {
  /** The backend's name, shown in the suite's title. */
  readonly name: string;
  /** Returns a fresh graph backend; called once per case. */
  readonly createBackend: () => GraphBackend;
  /**
   * Returns a KernelBackend that builds and trains the suite's models and computes the expected
   * numbers (`Sequential.predict`, `SequenceStream`), e.g. `tsBackend` from @recur/backend-ts.
   * Passed in so this package depends on no backend.
   */
  readonly createReferenceBackend: () => KernelBackend;
}

/**
 * Registers Recur's GraphBackend conformance suite as vitest tests: the contract's declared
 * fields, predict and step-by-step streams on LSTM, GRU and SimpleRNN stacks (masked tokens,
 * float features, a trained model) against a KernelBackend within 1e-5, the carried state read,
 * set into a fresh stream and reset, and every `GraphSource` form `compile` takes.
 *
 * @example
 * // packages/backend-onnxruntime/test/onnxruntime-node.test.ts
 * import { runGraphBackendSuite } from '@recur/conformance';
 * import { tsBackend } from '@recur/backend-ts';
 * import { onnxRuntimeBackend } from '../src/node.js';
 *
 * runGraphBackendSuite({ name: 'onnxruntime-node', createBackend: () => onnxRuntimeBackend(), createReferenceBackend: tsBackend });
 */
export function runGraphBackendSuite(options: GraphBackendSuiteOptions): void {
  const { createBackend } = options;
  const modelCases = graphModelCases(options.createReferenceBackend);
  const textCase = modelCases[0];
  const featureCase = modelCases[1];
  describe(`graph conformance: ${options.name} backend`, () => {
    it('declares the contract: kind, version, a name, and refuses to hold trainable weights', () => {
      const backend = createBackend();
      expect(backend.kind).toBe('graph');
      expect(backend.contractVersion).toBe(GRAPH_CONTRACT_VERSION);
      expect(backend.name).toMatch(/\S/);
      // Core recognises it by `kind` and says to train on a KernelBackend instead.
      const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
      expect(() => model.build({ backend: backend as never })).toThrow(/inference only/);
    });
    describe("predict and streams give the reference KernelBackend's numbers", () =>
      registerGraphParityCases(createBackend, modelCases));
    describe('the carried state: read, set, reset', () => registerStreamStateCases(createBackend, modelCases));
    describe('compile takes every form a Recur model is kept in', () =>
      registerGraphSourceCases(createBackend, textCase, featureCase));
  });
}
