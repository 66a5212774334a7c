import { stat, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { RecurError, SequenceStream, type Sequential, type ModelStream, type TensorData } from '@recur/core';
import { loadModel } from '@recur/core/io';
import { ONNX_RUNTIME, checkBackendName, loadKernelBackend } from '../backend-table.js';
import { CliError } from '../cli-error.js';
import { fromMetadata, type CliMetadata } from '../model/cli-metadata.js';
import { openOnnxRuntimeModel } from './onnx-runtime-model.js';

/**
 * A trained model ready for inference, whatever runs it: a Recur model on a kernel backend,
 * or an ONNX graph on ONNX Runtime (an `.onnx` file, or a model folder with
 * `--backend onnxruntime`, exported in memory; see `openOnnxRuntimeModel`).
 */
export interface InferenceModel {
  readonly source: string;
  readonly metadata: CliMetadata;
  readonly inputDtype: 'int32' | 'float32';
  /** What runs it, for messages and JSON output. */
  readonly runtime: string;
  predict(x: TensorData): Promise<TensorData>;
  /** One time step at a time (`[N]` token ids, or `[N, features]`), with the recurrent state carried: core's ModelStream. */
  createStream(): ModelStream;
  dispose(): Promise<void>;
}

/**
 * Opens a model folder or an `.onnx` file on the requested backend (default: `ts` for a
 * folder, `onnxruntime` for an `.onnx` file).
 *
 * @example
 * const model = await openInferenceModel('out/demo/model.onnx', undefined, 'generate');
 */
export async function openInferenceModel(
  path: string,
  backendName: string | undefined,
  command: string,
): Promise<InferenceModel> {
  if (backendName !== undefined) checkBackendName(backendName);
  const info = await stat(path).catch(() => null);
  if (info === null)
    throw new CliError(`Model '${path}' does not exist: pass a model folder (from recur train) or an .onnx file.`);
  if (info.isFile()) {
    if (!path.toLowerCase().endsWith('.onnx'))
      throw new CliError(
        `'${path}' is a file but not an .onnx model: pass a model folder (from recur train) or an .onnx file.`,
      );
    if (backendName !== undefined && backendName !== ONNX_RUNTIME) {
      throw new CliError(
        `'${basename(path)}' is an ONNX file: it runs on --backend onnxruntime. To run it on '${backendName}', convert it first: recur import ${path} --out <folder>.`,
      );
    }
    return openOnnxRuntimeModel(await readFile(path), path);
  }
  // A folder on ONNX Runtime is read on backend-ts, then exported to ONNX in memory from its spec and weights.
  const backend = await loadKernelBackend(backendName === ONNX_RUNTIME ? 'ts' : (backendName ?? 'ts'), command);
  const { model, metadata } = await loadSavedModel(path, backend);
  if (backendName !== ONNX_RUNTIME) return recurModel(model, metadata, path);
  const source = { spec: model.spec(), weights: model.getWeights() };
  model.dispose();
  return openOnnxRuntimeModel(source, path, metadata);
}

/** loadModel with the CLI's messages. */
export async function loadSavedModel(
  path: string,
  backend: Parameters<typeof loadModel>[1]['backend'],
): Promise<{ model: Sequential; metadata: Record<string, string> }> {
  try {
    return await loadModel(path, { backend });
  } catch (error) {
    if (error instanceof RecurError) throw new CliError(error.message);
    throw error;
  }
}

/** Metadata keys Recur's ONNX exporter accepts as user metadata (it writes its own `recur.*`). */
export function exportableMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).filter(([key]) => !key.startsWith('recur.')));
}

/** Whether every layer can run one step at a time (no Bidirectional, no goBackwards). */
export function canStream(model: Sequential): boolean {
  try {
    new SequenceStream(model);
    return true;
  } catch {
    return false;
  }
}

function recurModel(model: Sequential, metadata: Record<string, string>, source: string): InferenceModel {
  return {
    source,
    metadata: fromMetadata(metadata, `'${source}'`),
    inputDtype: model.layers[0].inputDtype === 'int32' ? 'int32' : 'float32',
    runtime: model.engine.backend.name,
    predict: async (x) => {
      try {
        return model.predict(x, { batchSize: 64 });
      } catch (error) {
        if (error instanceof RecurError) throw new CliError(`The input does not fit the model: ${error.message}`);
        throw error;
      }
    },
    createStream: () => new SequenceStream(model),
    dispose: async () => model.dispose(),
  };
}
