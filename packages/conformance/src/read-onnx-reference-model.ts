import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ReferenceTensor } from './read-reference-cell.js';

/** One input case of an `onnx/*.json` file: tensors keyed by graph input and output name. */
export interface OnnxReferenceCase {
  readonly inputs: Readonly<Record<string, ReferenceTensor>>;
  readonly expected_outputs: Readonly<Record<string, ReferenceTensor>>;
}

/** The parts of an `onnx/<name>.json` file Recur's tests use (fields as the reference README documents them). */
export interface OnnxReferenceModel {
  readonly name: string;
  readonly onnx_ops: readonly string[];
  readonly input_names: readonly string[];
  readonly output_names: readonly string[];
  readonly cases: readonly OnnxReferenceCase[];
}

/** The names (file stems) of the PyTorch-exported models in `<reference>/onnx/`, sorted. */
export function listOnnxReferenceModels(referencePath: string): string[] {
  return readdirSync(join(referencePath, 'onnx'))
    .filter((file) => file.endsWith('.onnx'))
    .map((file) => basename(file, '.onnx'))
    .sort();
}

function checkTensors(tensors: unknown, where: string): void {
  if (tensors === null || typeof tensors !== 'object')
    throw new Error(`${where} is missing or not an object of tensors.`);
  for (const [name, tensor] of Object.entries(tensors as Record<string, Partial<ReferenceTensor>>)) {
    const { shape, data } = tensor;
    if (!Array.isArray(shape) || !Array.isArray(data))
      throw new Error(`${where}.${name} needs a 'shape' and a 'data' array.`);
    const size = shape.reduce((product: number, dimension: number) => product * dimension, 1);
    if (size !== data.length)
      throw new Error(`${where}.${name} has ${data.length} values for shape [${shape.join(', ')}] (${size} expected).`);
  }
}

/**
 * Reads `<reference>/onnx/<name>.onnx` and its description `<name>.json`, checking that every
 * case's tensors hold as many values as their shapes say.
 *
 * @example
 * const { description, bytes } = readOnnxReferenceModel(folder.path, 'gru_1layer_seqfirst');
 * const graph = new OnnxGraphModel(importOnnx(bytes).graph, { backend: tsBackend() });
 */
export function readOnnxReferenceModel(
  referencePath: string,
  name: string,
): { description: OnnxReferenceModel; bytes: Uint8Array } {
  const modelFile = join(referencePath, 'onnx', `${name}.onnx`);
  const descriptionFile = join(referencePath, 'onnx', `${name}.json`);
  for (const file of [modelFile, descriptionFile]) {
    if (!existsSync(file))
      throw new Error(
        `The ONNX reference model '${name}' is incomplete: ${file} does not exist (every X.onnx needs its X.json, see the reference README).`,
      );
  }
  let description: OnnxReferenceModel;
  try {
    description = JSON.parse(readFileSync(descriptionFile, 'utf8')) as OnnxReferenceModel;
  } catch (error) {
    throw new Error(`${descriptionFile} is not valid JSON: ${(error as Error).message}.`);
  }
  if (!Array.isArray(description.cases) || description.cases.length === 0)
    throw new Error(`${descriptionFile} has no 'cases' to check.`);
  description.cases.forEach((testCase, k) => {
    checkTensors(testCase.inputs, `${descriptionFile}: cases[${k}].inputs`);
    checkTensors(testCase.expected_outputs, `${descriptionFile}: cases[${k}].expected_outputs`);
  });
  return { description, bytes: new Uint8Array(readFileSync(modelFile)) };
}
