import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOnnxNodeTest } from '../src/read-onnx-node-test.js';
import { listOnnxReferenceModels, readOnnxReferenceModel } from '../src/read-onnx-reference-model.js';
import { findReferenceFolder } from '../src/reference-folder.js';

describe('the ONNX reference readers', () => {
  const reference = findReferenceFolder();

  it.runIf(reference.found)(
    "read the peephole node test's eight inputs in the node's order (onnx-conformance README)",
    () => {
      if (!reference.found) return;
      const test = readOnnxNodeTest(reference.path, 'test_lstm_with_peepholes');
      // X, W, R, B, sequence_lens, initial_h, initial_c, P; sequence_lens is [1, 1] and P is [1, 3H] with H = 3.
      expect(test.inputs.map((tensor) => tensor.dtype)).toEqual([
        'float32',
        'float32',
        'float32',
        'float32',
        'int32',
        'float32',
        'float32',
        'float32',
      ]);
      expect([...test.inputs[4].data]).toEqual([1, 1]);
      expect(test.inputs[7].shape).toEqual([1, 9]);
      expect(test.outputs).toHaveLength(1);
    },
  );

  const folder = mkdtempSync(join(tmpdir(), 'recur-onnx-reference-'));
  mkdirSync(join(folder, 'onnx'));
  mkdirSync(join(folder, 'onnx-conformance', 'test_empty', 'test_data_set_0'), { recursive: true });
  writeFileSync(join(folder, 'onnx-conformance', 'test_empty', 'model.onnx'), new Uint8Array([8, 7]));
  const model = (name: string, description: unknown) => {
    writeFileSync(join(folder, 'onnx', `${name}.onnx`), new Uint8Array([8, 7]));
    if (description !== undefined) writeFileSync(join(folder, 'onnx', `${name}.json`), JSON.stringify(description));
  };
  const tensor = (shape: number[], data: number[]) => ({ dtype: 'float32', shape, data });

  it('list models by their .onnx files and name the file that is missing or inconsistent', () => {
    model('no_description', undefined);
    model('short_data', { cases: [{ inputs: { x: tensor([2, 3], [1, 2, 3]) }, expected_outputs: {} }] });
    model('no_cases', { cases: [] });
    expect(listOnnxReferenceModels(folder)).toEqual(['no_cases', 'no_description', 'short_data']);
    expect(() => readOnnxReferenceModel(folder, 'no_description')).toThrow(/no_description\.json does not exist/);
    expect(() => readOnnxReferenceModel(folder, 'short_data')).toThrow(
      /cases\[0\]\.inputs\.x has 3 values for shape \[2, 3\] \(6 expected\)/,
    );
    expect(() => readOnnxReferenceModel(folder, 'no_cases')).toThrow(/no_cases\.json has no 'cases'/);
  });

  it('refuse a node test without output_0.pb, naming the file', () => {
    expect(() => readOnnxNodeTest(folder, 'test_empty')).toThrow(/test_empty.*output_0\.pb does not exist/);
  });

  it.runIf(reference.found)('name the TensorProto file that cannot be decoded', () => {
    if (!reference.found) return;
    const dataSet = join(folder, 'onnx-conformance', 'test_empty', 'test_data_set_0');
    copyFileSync(
      join(reference.path, 'onnx-conformance', 'test_gru_defaults', 'test_data_set_0', 'output_0.pb'),
      join(dataSet, 'output_0.pb'),
    );
    writeFileSync(join(dataSet, 'input_0.pb'), new Uint8Array([0x0a, 0xff]));
    expect(() => readOnnxNodeTest(folder, 'test_empty')).toThrow(/input_0\.pb/);
  });
});
