import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTensor, type HostTensor } from '@recur/onnx';

/** One ONNX backend node test: the model and its first data set, tensors in file order. */
export interface OnnxNodeTest {
  readonly bytes: Uint8Array;
  /** `input_<k>.pb`, in the order of the graph's inputs. */
  readonly inputs: readonly HostTensor[];
  /** `output_<k>.pb`, in the order of the graph's outputs. */
  readonly outputs: readonly HostTensor[];
}

/** The test folders (those holding a `model.onnx`) in `<reference>/onnx-conformance/`, sorted. */
export function listOnnxNodeTests(referencePath: string): string[] {
  const folder = join(referencePath, 'onnx-conformance');
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, 'model.onnx')))
    .map((entry) => entry.name)
    .sort();
}

/** Decodes `<prefix>_0.pb`, `<prefix>_1.pb`, ... until the next index is missing. */
function readNumberedTensors(dataSet: string, prefix: 'input' | 'output'): HostTensor[] {
  const tensors: HostTensor[] = [];
  for (let k = 0; existsSync(join(dataSet, `${prefix}_${k}.pb`)); k++) {
    const file = join(dataSet, `${prefix}_${k}.pb`);
    tensors.push(decodeTensor(new Uint8Array(readFileSync(file)), file));
  }
  return tensors;
}

/**
 * Reads `<reference>/onnx-conformance/<name>/model.onnx` and the TensorProto files of its
 * `test_data_set_0` (decoded by @recur/onnx's `decodeTensor`).
 *
 * @example
 * const { bytes, inputs, outputs } = readOnnxNodeTest(folder.path, 'test_lstm_with_peepholes');
 */
export function readOnnxNodeTest(referencePath: string, name: string): OnnxNodeTest {
  const testFolder = join(referencePath, 'onnx-conformance', name);
  const dataSet = join(testFolder, 'test_data_set_0');
  if (!existsSync(dataSet)) throw new Error(`The ONNX node test '${name}' has no data: ${dataSet} does not exist.`);
  const outputs = readNumberedTensors(dataSet, 'output');
  if (outputs.length === 0)
    throw new Error(
      `The ONNX node test '${name}' has no expected outputs: ${join(dataSet, 'output_0.pb')} does not exist.`,
    );
  return {
    bytes: new Uint8Array(readFileSync(join(testFolder, 'model.onnx'))),
    inputs: readNumberedTensors(dataSet, 'input'),
    outputs,
  };
}
