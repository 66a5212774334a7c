import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import type { KernelBackend, TensorData } from '@recur/core';
import { importOnnx } from '@recur/onnx';
import { OnnxGraphModel, type GraphFeeds } from '@recur/onnx/interpreter';
import { assertAllClose, measureCloseness, type Closeness } from './assert-close.js';
import type { CaseRegistry } from './case-registry.js';
import { listOnnxNodeTests, readOnnxNodeTest } from './read-onnx-node-test.js';
import { listOnnxReferenceModels, readOnnxReferenceModel } from './read-onnx-reference-model.js';
import type { ReferenceFolder } from './reference-folder.js';
import { ONNX_REFERENCE_TOLERANCE } from './tolerances.js';

interface ExpectedOutput {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** One graph output against its expectation; a missing output or a wrong shape fails at once. */
function compareOutput(label: string, got: TensorData | undefined, expected: ExpectedOutput): Closeness {
  if (got === undefined) throw new Error(`${label}: the graph returned no such output.`);
  if (
    got.shape.length !== expected.shape.length ||
    got.shape.some((dimension, axis) => dimension !== expected.shape[axis])
  ) {
    throw new Error(`${label}: shape [${got.shape.join(', ')}] where [${expected.shape.join(', ')}] was expected.`);
  }
  return measureCloseness(label, got.values, expected.data, expected.shape, ONNX_REFERENCE_TOLERANCE);
}

/** Imports `bytes` and runs `use` on the whole graph on a fresh backend, always disposing it. */
function withGraph<T>(
  bytes: Uint8Array,
  createBackend: () => KernelBackend,
  use: (graph: OnnxGraphModel, inputNames: string[], outputNames: string[]) => T,
): T {
  const imported = importOnnx(bytes);
  const graph = new OnnxGraphModel(imported.graph, { backend: createBackend() });
  try {
    return use(
      graph,
      imported.graph.inputs.map((input) => input.name),
      imported.graph.outputs.map((output) => output.name),
    );
  } finally {
    graph.dispose();
  }
}

async function finish(results: readonly Closeness[], annotate: (message: string) => Promise<unknown>): Promise<void> {
  const worst = Math.max(...results.map((result) => result.maxAbsoluteError));
  await annotate(`max |error| ${worst.toExponential(2)} over ${results.length} outputs`);
  assertAllClose(results);
}

/** A PyTorch-exported model: every case of its `.json`, every expected output. */
function runReferenceModel(referencePath: string, name: string, createBackend: () => KernelBackend): Closeness[] {
  const { description, bytes } = readOnnxReferenceModel(referencePath, name);
  return withGraph(bytes, createBackend, (graph) =>
    description.cases.flatMap((testCase, k) => {
      const feeds: GraphFeeds = Object.fromEntries(
        Object.entries(testCase.inputs).map(([input, tensor]) => [input, { shape: tensor.shape, values: tensor.data }]),
      );
      const outputs = graph.run(feeds);
      return Object.entries(testCase.expected_outputs).map(([output, expected]) =>
        compareOutput(`case ${k} '${output}'`, outputs[output], expected),
      );
    }),
  );
}

/** An ONNX node test: `input_<k>.pb` feeds the graph's k-th input, `output_<k>.pb` is its k-th output. */
function runNodeTest(referencePath: string, name: string, createBackend: () => KernelBackend): Closeness[] {
  const test = readOnnxNodeTest(referencePath, name);
  return withGraph(test.bytes, createBackend, (graph, inputNames, outputNames) => {
    if (inputNames.length !== test.inputs.length || outputNames.length !== test.outputs.length) {
      throw new Error(
        `The imported graph has ${inputNames.length} inputs and ${outputNames.length} outputs, but the test data set holds ` +
          `${test.inputs.length} input_*.pb and ${test.outputs.length} output_*.pb files.`,
      );
    }
    const feeds: GraphFeeds = Object.fromEntries(
      inputNames.map((input, k) => [input, { shape: test.inputs[k].shape, values: test.inputs[k].data }]),
    );
    const outputs = graph.run(feeds);
    return outputNames.map((output, k) =>
      compareOutput(`output_${k}.pb '${output}'`, outputs[output], test.outputs[k]),
    );
  });
}

/**
 * Registers one test per ONNX reference model, id and name `onnx/<model>` (PyTorch exports
 * against their `.json` expected outputs) and `onnx-conformance/<test>` (the ONNX project's
 * LSTM, GRU and RNN node tests against their `output_*.pb`). Each model is imported with
 * @recur/onnx and run as a whole graph on the backend; every output must be within 1e-5.
 */
export function registerOnnxReferenceCases(
  registry: CaseRegistry,
  createBackend: () => KernelBackend,
  folder: ReferenceFolder,
): void {
  const groups = [
    {
      subfolder: 'onnx',
      title: 'PyTorch-exported models (onnx/) against their expected outputs',
      list: listOnnxReferenceModels,
      run: runReferenceModel,
    },
    {
      subfolder: 'onnx-conformance',
      title: 'ONNX backend node tests (onnx-conformance/) against their output_*.pb',
      list: listOnnxNodeTests,
      run: runNodeTest,
    },
  ];
  for (const { subfolder, title, list, run } of groups) {
    describe(title, () => {
      if (!folder.found) {
        registry.broken(`${subfolder}/reference-folder`, folder.message);
        return;
      }
      const path = join(folder.path, subfolder);
      const names = existsSync(path) ? list(folder.path) : [];
      if (names.length === 0) {
        registry.broken(
          `${subfolder}/reference-folder`,
          `${path} is missing or holds no ONNX models. Check RECUR_REFERENCE_DIR (the folder holding README.md, cells/, onnx/ and onnx-conformance/).`,
        );
        return;
      }
      for (const name of names) {
        const id = `${subfolder}/${name}`;
        registry.add(id, ({ annotate }) => finish(run(folder.path, name, createBackend), annotate));
      }
    });
  }
}
