import { describe, expect, it } from 'vitest';
import { listOnnxNodeTests, listOnnxReferenceModels, readOnnxNodeTest } from '@recur/conformance';
import { importOnnx, type GraphValueInfo } from '../src/index.js';
import { CONFORMANCE_TEST_NAMES, REFERENCE_MODEL_NAMES, loadReferenceModel, referencePath } from './reference-files.js';

// Whether these models give the expected numbers on every backend is the conformance suite's
// job (@recur/conformance, cases onnx/* and onnx-conformance/*). Here: what importOnnx reports.

/** The declared interface as `dtype [dims]`, symbolic or unknown dimensions written as `?`. */
function declared(value: GraphValueInfo): string {
  return `${value.dtype} [${(value.shape ?? []).map((dimension) => (typeof dimension === 'number' ? dimension : '?')).join(', ')}]`;
}

/** A concrete tensor as `dtype [dims]`, with the dimensions the declaration leaves open written as `?`. */
function concrete(dtype: string, shape: readonly number[], like: GraphValueInfo): string {
  return `${dtype} [${shape.map((dimension, axis) => (typeof like.shape?.[axis] === 'number' ? dimension : '?')).join(', ')}]`;
}

describe('importOnnx reads every reference model and reports its interface', () => {
  it('the pinned lists name every model in the reference folder, so none escapes these checks', () => {
    expect(listOnnxReferenceModels(referencePath())).toEqual([...REFERENCE_MODEL_NAMES].sort());
    expect(listOnnxNodeTests(referencePath())).toEqual([...CONFORMANCE_TEST_NAMES].sort());
  });

  for (const name of REFERENCE_MODEL_NAMES) {
    it(`${name}: inputs and outputs named, typed and shaped as every case of the description`, () => {
      const { description, bytes } = loadReferenceModel(name);
      const { graph } = importOnnx(bytes);
      expect(graph.inputs.map((input) => input.name)).toEqual(description.input_names);
      expect(graph.outputs.map((output) => output.name)).toEqual(description.output_names);
      for (const testCase of description.cases) {
        for (const value of graph.inputs) {
          const tensor = testCase.inputs[value.name];
          expect(declared(value)).toBe(concrete(tensor.dtype, tensor.shape, value));
        }
        for (const value of graph.outputs) {
          const tensor = testCase.expected_outputs[value.name];
          expect(declared(value)).toBe(concrete(tensor.dtype, tensor.shape, value));
        }
      }
    });
  }

  for (const name of CONFORMANCE_TEST_NAMES) {
    it(`${name}: one input per input_*.pb and one output per output_*.pb, typed and shaped as those files`, () => {
      const test = readOnnxNodeTest(referencePath(), name);
      const { graph } = importOnnx(test.bytes);
      expect(graph.inputs.map(declared)).toEqual(
        test.inputs.map((tensor, k) => concrete(tensor.dtype, tensor.shape, graph.inputs[k])),
      );
      expect(graph.outputs.map(declared)).toEqual(
        test.outputs.map((tensor, k) => concrete(tensor.dtype, tensor.shape, graph.outputs[k])),
      );
    });
  }
});
