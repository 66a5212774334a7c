import { describe, expect, it } from 'vitest';
import { tsBackend } from '@recur/backend-ts';
import { decodeTensor, importOnnx } from '../src/index.js';
import { expectClose } from './onnxruntime-run.js';
import { CONFORMANCE_TEST_NAMES, REFERENCE_MODEL_NAMES, loadReferenceModel, referenceBytes } from './reference-files.js';

describe('PyTorch-exported ONNX models run on backend-ts with the expected outputs', () => {
  for (const name of REFERENCE_MODEL_NAMES) {
    it(name, () => {
      const { description, bytes } = loadReferenceModel(name);
      const graph = importOnnx(bytes).createGraphModel({ backend: tsBackend() });
      for (const testCase of description.cases) {
        const feeds = Object.fromEntries(Object.entries(testCase.inputs).map(([input, tensor]) => [input, { shape: tensor.shape, values: tensor.data }]));
        const outputs = graph.run(feeds);
        for (const [output, expected] of Object.entries(testCase.expected_outputs)) {
          expectClose(outputs[output], { shape: expected.shape, values: Float32Array.from(expected.data) });
        }
      }
      graph.dispose();
    });
  }
});

/** Runs one ONNX backend node test: inputs in the node's input order, outputs in the graph's output order. */
function runConformanceTest(name: string): void {
  const imported = importOnnx(referenceBytes('onnx-conformance', name, 'model.onnx'));
  const graph = imported.createGraphModel({ backend: tsBackend() });
  const feeds = Object.fromEntries(
    imported.graph.inputs.map((input, k) => {
      const tensor = decodeTensor(referenceBytes('onnx-conformance', name, 'test_data_set_0', `input_${k}.pb`));
      return [input.name, { shape: tensor.shape, values: tensor.data }];
    }),
  );
  const outputs = graph.run(feeds);
  imported.graph.outputs.forEach((output, k) => {
    const expected = decodeTensor(referenceBytes('onnx-conformance', name, 'test_data_set_0', `output_${k}.pb`));
    expectClose(outputs[output.name], { shape: expected.shape, values: expected.data as Float32Array });
  });
  graph.dispose();
}

describe('ONNX backend node tests for LSTM, GRU and RNN run on backend-ts', () => {
  for (const name of CONFORMANCE_TEST_NAMES) {
    it(name, () => runConformanceTest(name));
  }
});
