import { describe, expect, it } from 'vitest';
import { decodeModel } from '../src/proto/decode-model.js';
import { int64ToNumber } from '../src/proto/int64.js';
import {
  CONFORMANCE_TEST_NAMES,
  REFERENCE_MODEL_NAMES,
  loadReferenceModel,
  referenceBytes,
} from './reference-files.js';

describe('decodeModel on files made by PyTorch and by the ONNX project', () => {
  for (const name of REFERENCE_MODEL_NAMES) {
    it(`${name}: operators, inputs and outputs match the file's description`, () => {
      const { description, bytes } = loadReferenceModel(name);
      const model = decodeModel(bytes);
      const graph = model.graph!;
      const ops = [...new Set(graph.node!.map((node) => node.opType))].sort();
      expect(ops).toEqual(description.onnx_ops);
      const initializers = new Set(graph.initializer!.map((tensor) => tensor.name));
      expect(graph.input!.map((value) => value.name).filter((input) => !initializers.has(input))).toEqual(
        description.input_names,
      );
      expect(graph.output!.map((value) => value.name)).toEqual(description.output_names);
    });
  }

  for (const name of CONFORMANCE_TEST_NAMES) {
    it(`${name}: one recurrent node at opset 22, IR version 10`, () => {
      const model = decodeModel(referenceBytes('onnx-conformance', name, 'model.onnx'));
      expect(int64ToNumber(model.irVersion, 'ir_version')).toBe(10);
      expect(model.opsetImport!.map((entry) => int64ToNumber(entry.version, 'version'))).toEqual([22]);
      expect(model.graph!.node!.map((node) => node.opType)).toHaveLength(1);
    });
  }
});
