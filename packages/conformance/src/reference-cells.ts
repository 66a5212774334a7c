import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { KernelBackend } from '@recur/core';
import { assertAllClose, measureCloseness, type Closeness } from './assert-close.js';
import type { CaseRegistry } from './case-registry.js';
import { readReferenceCell, type ReferenceCell } from './read-reference-cell.js';
import { RECURRENT_LAYER_FACTORIES, type RecurrentLayerFactory } from './recurrent-layer-factories.js';
import type { ReferenceFolder } from './reference-folder.js';
import { runReferenceCell, type ComputedValue } from './run-reference-cell.js';
import {
  GOLDEN_FORWARD_TOLERANCE,
  GOLDEN_GRADIENT_TOLERANCE,
  GOLDEN_LOSS_TOLERANCE,
  type Tolerance,
} from './tolerances.js';

/** Both ways core runs a recurrent layer: the backend's fused kernel when it has one, and the composite loop. */
const PATHS = [
  { choice: 'auto', label: "useFusedKernel 'auto'" },
  { choice: false, label: 'useFusedKernel false' },
] as const;

function compare(prefix: string, values: readonly ComputedValue[], tolerance: Tolerance): Closeness[] {
  return values.map(({ label, got, reference }) =>
    measureCloseness(`${prefix} ${label}`, got, reference.data, reference.shape, tolerance),
  );
}

function maximum(results: readonly Closeness[], measure: (result: Closeness) => number): string {
  return Math.max(...results.map(measure)).toExponential(2);
}

/**
 * One golden case: the cell through both paths, outputs and final states to 1e-5 absolute and
 * every gradient to `1e-4·|ref| + 1e-5`. The largest errors are attached to the test as an
 * annotation, so a run shows how close each backend really is.
 */
async function runGoldenCase(
  createBackend: () => KernelBackend,
  cell: ReferenceCell,
  factory: RecurrentLayerFactory,
  annotate: (message: string) => Promise<unknown>,
): Promise<void> {
  const results: Closeness[] = [];
  const summary: string[] = [];
  for (const { choice, label } of PATHS) {
    const run = runReferenceCell(createBackend, cell, factory, choice);
    const forward = compare(`[${label}]`, run.forward, GOLDEN_FORWARD_TOLERANCE);
    const gradients = compare(`[${label}]`, run.gradients, GOLDEN_GRADIENT_TOLERANCE);
    const loss = measureCloseness(`[${label}] loss`, [run.loss], [cell.loss], [], GOLDEN_LOSS_TOLERANCE);
    results.push(...forward, ...gradients, loss);
    summary.push(
      `${label}: forward max |error| ${maximum(forward, (result) => result.maxAbsoluteError)}, ` +
        `gradient max |error| ${maximum(gradients, (result) => result.maxAbsoluteError)} ` +
        `(worst fraction of tolerance ${maximum(gradients, (result) => result.worstRatio)})`,
    );
  }
  await annotate(summary.join('; '));
  assertAllClose(results);
}

/**
 * Registers one test per reference cell file, named after the file (id `golden/<file stem>`).
 * Kinds of cell core cannot build yet are `todo`; a missing reference folder is one failing
 * test that says where the suite looked.
 */
export function registerReferenceCells(
  registry: CaseRegistry,
  createBackend: () => KernelBackend,
  folder: ReferenceFolder,
): void {
  if (!folder.found) {
    registry.broken('golden/reference-folder', folder.message);
    return;
  }
  const cellsFolder = join(folder.path, 'cells');
  const files = readdirSync(cellsFolder)
    .filter((file) => file.endsWith('.json'))
    .sort();
  if (files.length === 0) {
    registry.broken(
      'golden/reference-folder',
      `${cellsFolder} holds no .json reference cells. Check RECUR_REFERENCE_DIR.`,
    );
    return;
  }
  for (const file of files) {
    const id = `golden/${basename(file, '.json')}`;
    let cell: ReferenceCell;
    try {
      cell = readReferenceCell(join(cellsFolder, file));
    } catch (error) {
      registry.broken(id, (error as Error).message, file);
      continue;
    }
    const factory = RECURRENT_LAYER_FACTORIES[cell.config.mode];
    if (factory === undefined) {
      registry.notSupported(id, `layer kind not supported yet (${cell.config.mode})`, file);
      continue;
    }
    registry.add(id, ({ annotate }) => runGoldenCase(createBackend, cell, factory, annotate), file);
  }
}
