import { describe, it } from 'vitest';
import type { KernelBackend } from '@recur/core';
import { CaseRegistry } from './case-registry.js';
import { registerDonationCases } from './donation-cases.js';
import { registerFusedAgreement } from './fused-agreement.js';
import { registerGradientChecks } from './gradient-checks.js';
import { registerOnnxReferenceCases } from './onnx-reference-cases.js';
import { registerPrimitiveCases } from './primitive-cases.js';
import { readExclusions } from './read-exclusions.js';
import { findReferenceFolder } from './reference-folder.js';
import { registerReferenceCells } from './reference-cells.js';

export interface ConformanceSuiteOptions {
  /** The backend's name, shown in the suite's title. */
  readonly name: string;
  /** Returns a fresh backend; called once per case (and while registering, to see its fused kernels). */
  readonly createBackend: () => KernelBackend;
  /**
   * A JSON file mapping case ids to the reason the backend cannot pass them (a path, or a URL
   * such as `new URL('../conformance-exclusions.json', import.meta.url)`). Listed cases are
   * skipped with their reason; ids that name no case fail the suite.
   */
  readonly exclusionsFile?: string | URL;
}

/**
 * Registers Recur's backend conformance suite as vitest tests: every kernel primitive against
 * float64 math, every gradient rule against finite differences, the fused sequence kernels
 * against core's composite loop, whole recurrent stacks against the PyTorch goldens in the shared
 * reference folder (`RECUR_REFERENCE_DIR`, default `<repo root>/../shared/reference`), and the
 * folder's ONNX models (PyTorch exports and the ONNX project's node tests) imported with
 * @recur/onnx and run as graphs on the backend.
 *
 * @example
 * // packages/backend-ts/test/conformance.test.ts
 * import { runConformanceSuite } from '@recur/conformance';
 * import { tsBackend } from '@recur/backend-ts';
 *
 * runConformanceSuite({ name: 'ts', createBackend: tsBackend });
 */
export function runConformanceSuite(options: ConformanceSuiteOptions): void {
  const registry = new CaseRegistry(readExclusions(options.exclusionsFile));
  const { createBackend } = options;
  const referenceFolder = findReferenceFolder();
  describe(`conformance: ${options.name} backend`, () => {
    describe('primitives against float64 math', () => registerPrimitiveCases(registry, createBackend));
    describe('gradient rules against central finite differences', () =>
      registerGradientChecks(registry, createBackend));
    describe('fused sequence kernels against the composite loop', () =>
      registerFusedAgreement(registry, createBackend));
    describe('weights updated in donated storage', () => registerDonationCases(registry, createBackend));
    describe('golden parity with PyTorch reference cells', () =>
      registerReferenceCells(registry, createBackend, referenceFolder));
    describe('ONNX reference models imported with @recur/onnx', () =>
      registerOnnxReferenceCases(registry, createBackend, referenceFolder));
    it('exclusion file names only existing cases', () => {
      const stale = registry.staleExclusions();
      if (stale.length > 0) {
        throw new Error(
          `The exclusion file lists ids that match no case: ${stale.join(', ')}. Remove them or fix their spelling (ids are shown as test names).`,
        );
      }
    });
  });
}
