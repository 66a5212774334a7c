import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { KernelBackend, TensorInfo } from '@recur/core';

/**
 * Reads the PyTorch-made golden cases in the shared reference folder (see its README): every
 * tensor is `{dtype, shape, data}` in row-major order. The folder is RECUR_REFERENCE_DIR, or
 * `../shared/reference` beside the repository root.
 */
export interface ReferenceTensor {
  readonly dtype: string;
  readonly shape: number[];
  readonly data: number[];
}

export const referenceDirectory: string =
  process.env.RECUR_REFERENCE_DIR ?? fileURLToPath(new URL('../../../../shared/reference/', import.meta.url));

/** Tolerances from DESIGN.md for float32 results against float64 references. */
export const FORWARD_TOLERANCE = 1e-5;
export const GRADIENT_RELATIVE = 1e-4;
export const GRADIENT_ABSOLUTE = 1e-5;

/** File names (without `.json`) in `cells/` that start with `prefix`. */
export function cellCaseNames(prefix: string): string[] {
  return readdirSync(join(referenceDirectory, 'cells'))
    .filter((file) => file.startsWith(prefix) && file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

// The JSON is loosely typed on purpose: tests pick the fields the README documents.
export type CellCase = any;

export function loadCellCase(name: string): CellCase {
  return JSON.parse(readFileSync(join(referenceDirectory, 'cells', `${name}.json`), 'utf8'));
}

/** A JSON file of the `onnx/` folder (model metadata, inputs, expected outputs). */
export function loadOnnxCase(name: string): CellCase {
  return JSON.parse(readFileSync(join(referenceDirectory, 'onnx', `${name}.json`), 'utf8'));
}

export function uploadReference(backend: KernelBackend, tensor: ReferenceTensor): TensorInfo {
  return backend.upload(Float32Array.from(tensor.data), tensor.shape, 'float32');
}

/** The `[N, T]` mask of a packed case (1 for t < lengths[n]), or null when it has no lengths. */
export function maskFromLengths(
  backend: KernelBackend,
  lengths: readonly number[] | null,
  steps: number,
): TensorInfo | null {
  if (lengths === null) return null;
  const values = new Float32Array(lengths.length * steps);
  lengths.forEach((length, n) => values.fill(1, n * steps, n * steps + length));
  return backend.upload(values, [lengths.length, steps], 'float32');
}

/** Forward values: max absolute error <= FORWARD_TOLERANCE; returns that error. */
export function expectForwardClose(backend: KernelBackend, got: TensorInfo, expected: ReferenceTensor, what: string): number {
  expect(got.shape, `${what} shape`).toEqual(expected.shape);
  const values = backend.download(got);
  let worst = 0;
  for (let k = 0; k < values.length; k++) worst = Math.max(worst, Math.abs(values[k] - expected.data[k]));
  expect(worst, `${what}: max abs error`).toBeLessThanOrEqual(FORWARD_TOLERANCE);
  return worst;
}

/** Gradients: |got - ref| <= GRADIENT_RELATIVE * |ref| + GRADIENT_ABSOLUTE element-wise. */
export function expectGradientClose(
  backend: KernelBackend,
  got: TensorInfo | null,
  expected: ReferenceTensor,
  what: string,
): void {
  expect(got, what).not.toBeNull();
  if (got === null) return;
  expect(got.shape, `${what} shape`).toEqual(expected.shape);
  const values = backend.download(got);
  const failures: string[] = [];
  for (let k = 0; k < values.length; k++) {
    const reference = expected.data[k];
    if (!(Math.abs(values[k] - reference) <= GRADIENT_RELATIVE * Math.abs(reference) + GRADIENT_ABSOLUTE)) {
      failures.push(`[${k}] got ${values[k]}, expected ${reference}`);
    }
  }
  expect(failures, what).toEqual([]);
}

/** [T, N, F] (sequence-first) values reordered to [N, T, F] (batch-first). */
export function toBatchFirst(tensor: ReferenceTensor): ReferenceTensor {
  const [steps, batch, features] = tensor.shape;
  const data = new Array<number>(tensor.data.length);
  for (let t = 0; t < steps; t++) {
    for (let n = 0; n < batch; n++) {
      for (let f = 0; f < features; f++) {
        data[(n * steps + t) * features + f] = tensor.data[(t * batch + n) * features + f];
      }
    }
  }
  return { dtype: tensor.dtype, shape: [batch, steps, features], data };
}

/** The block [..., begin:begin+width] of the last axis (one direction of a bidirectional output). */
export function lastAxisBlock(tensor: ReferenceTensor, begin: number, width: number): ReferenceTensor {
  const last = tensor.shape[tensor.shape.length - 1];
  const rows = tensor.data.length / last;
  const data: number[] = [];
  for (let row = 0; row < rows; row++) data.push(...tensor.data.slice(row * last + begin, row * last + begin + width));
  return { dtype: tensor.dtype, shape: [...tensor.shape.slice(0, -1), width], data };
}

/** Entry `index` of the first axis (one layer/direction of a [L*D, N, H] state). */
export function firstAxisEntry(tensor: ReferenceTensor, index: number): ReferenceTensor {
  const size = tensor.data.length / tensor.shape[0];
  return { dtype: tensor.dtype, shape: tensor.shape.slice(1), data: tensor.data.slice(index * size, (index + 1) * size) };
}
