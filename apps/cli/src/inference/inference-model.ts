import { stat, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { RecurError, SequenceStream, Sequential, type ModelSpec, type TensorData } from '@recur/core';
import { loadModel } from '@recur/core/node';
import { ONNX_RUNTIME, checkBackendName, loadKernelBackend } from '../backend-table.js';
import { CliError } from '../cli-error.js';
import { fromMetadata, type CliMetadata } from '../model/cli-metadata.js';
import { openOnnxSession, type OnnxSession, type OnnxState } from './onnx-session.js';

/** One time step at a time, with recurrent state carried between calls. */
export interface StepStream {
  /** `input` is one step of a batch: `[N]` token ids, or `[N, features]`. Returns the model's output `[N, ...]`. */
  step(input: TensorData): Promise<TensorData>;
  reset(): void;
}

/**
 * A trained model ready for inference, whatever runs it: a Recur model on a kernel backend,
 * or an ONNX graph on ONNX Runtime (an `.onnx` file, or a model folder with
 * `--backend onnxruntime`, exported in memory).
 */
export interface InferenceModel {
  readonly source: string;
  readonly metadata: CliMetadata;
  /** The Recur spec (from the folder, or an exported file's `recur.model_spec`), or null. */
  readonly spec: ModelSpec | null;
  readonly inputDtype: 'int32' | 'float32';
  /** What runs it, for messages and JSON output. */
  readonly runtime: string;
  predict(x: TensorData): Promise<TensorData>;
  createStream(): StepStream;
  dispose(): Promise<void>;
}

/**
 * Opens a model folder or an `.onnx` file on the requested backend (default: `ts` for a
 * folder, `onnxruntime` for an `.onnx` file).
 *
 * @example
 * const model = await openInferenceModel('out/demo/model.onnx', undefined, 'generate');
 */
export async function openInferenceModel(path: string, backendName: string | undefined, command: string): Promise<InferenceModel> {
  if (backendName !== undefined) checkBackendName(backendName);
  const info = await stat(path).catch(() => null);
  if (info === null) throw new CliError(`Model '${path}' does not exist: pass a model folder (from recur train) or an .onnx file.`);
  if (info.isFile()) {
    if (!path.toLowerCase().endsWith('.onnx')) throw new CliError(`'${path}' is a file but not an .onnx model: pass a model folder (from recur train) or an .onnx file.`);
    if (backendName !== undefined && backendName !== ONNX_RUNTIME) {
      throw new CliError(`'${basename(path)}' is an ONNX file: it runs on --backend onnxruntime. To run it on '${backendName}', convert it first: recur import ${path} --out <folder>.`);
    }
    const bytes = await readFile(path);
    return onnxModel(await openOnnxSession(bytes, `'${path}'`), await onnxMetadata(bytes, path), path);
  }
  const backend = backendName === ONNX_RUNTIME ? await loadKernelBackend('ts', command) : await loadKernelBackend(backendName ?? 'ts', command);
  const { model, metadata } = await loadSavedModel(path, backend);
  if (backendName !== ONNX_RUNTIME) return recurModel(model, metadata, path);
  const { exportOnnx } = await import('@recur/onnx');
  const streamable = canStream(model);
  const bytes = exportOnnx(model, { exposeState: streamable, metadata: exportableMetadata(metadata) });
  const session = await openOnnxSession(bytes, `'${path}' (exported to ONNX)`);
  const opened = onnxModel(session, { metadata, spec: model.spec() }, path);
  model.dispose();
  return opened;
}

/** loadModel with the CLI's messages. */
export async function loadSavedModel(path: string, backend: Parameters<typeof loadModel>[1]['backend']): Promise<{ model: Sequential; metadata: Record<string, string> }> {
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
    spec: model.spec(),
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
    createStream() {
      const stream = new SequenceStream(model);
      return { step: async (input) => stream.step(input), reset: () => stream.reset() };
    },
    dispose: async () => model.dispose(),
  };
}

async function onnxMetadata(bytes: Uint8Array, path: string): Promise<{ metadata: Record<string, string>; spec: ModelSpec | null }> {
  const { decodeModel } = await import('@recur/onnx');
  let entries: { key?: string; value?: string }[];
  try {
    entries = decodeModel(bytes).metadataProps ?? [];
  } catch (error) {
    throw new CliError(`'${path}' is not a readable ONNX model: ${(error as Error).message}`);
  }
  const metadata = Object.fromEntries(entries.filter((entry) => entry.key !== undefined).map((entry) => [entry.key!, entry.value ?? '']));
  let spec: ModelSpec | null = null;
  if (metadata['recur.model_spec'] !== undefined) {
    try {
      spec = JSON.parse(metadata['recur.model_spec']) as ModelSpec;
    } catch {
      spec = null;
    }
  }
  return { metadata, spec };
}

function onnxModel(session: OnnxSession, described: { metadata: Record<string, string>; spec: ModelSpec | null }, source: string): InferenceModel {
  return {
    source,
    metadata: fromMetadata(described.metadata, `'${source}'`),
    spec: described.spec,
    inputDtype: session.inputType,
    runtime: 'onnxruntime (cpu)',
    predict: async (x) => (await session.run(x)).output,
    createStream: () => (session.hasState ? statefulStream(session) : replayStream(session)),
    dispose: () => session.release(),
  };
}

/** A step of `[N, ...]` as a sequence of length 1: `[N, 1, ...]`. */
function withTimeAxis(step: TensorData): TensorData {
  return { shape: [step.shape[0], 1, ...step.shape.slice(1)], values: step.values };
}

function statefulStream(session: OnnxSession): StepStream {
  let state: OnnxState | undefined;
  return {
    async step(input) {
      const result = await session.run(withTimeAxis(input), state);
      state = result.state;
      return dropTimeAxis(result.output);
    },
    reset: () => {
      state = undefined;
    },
  };
}

/** For graphs without exposed state: runs the whole sequence so far at every step (slower, same outputs). */
function replayStream(session: OnnxSession): StepStream {
  let steps: TensorData[] = [];
  return {
    async step(input) {
      steps.push(input);
      const batch = input.shape[0];
      const stepSize = input.values.length / batch;
      const values = new (input.values.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(batch * steps.length * stepSize);
      steps.forEach((step, t) => {
        for (let n = 0; n < batch; n++) values.set(step.values.subarray(n * stepSize, (n + 1) * stepSize), (n * steps.length + t) * stepSize);
      });
      const { output } = await session.run({ shape: [batch, steps.length, ...input.shape.slice(1)], values });
      return output.shape.length >= 3 ? lastStep(output) : output;
    },
    reset: () => {
      steps = [];
    },
  };
}

function dropTimeAxis(output: TensorData): TensorData {
  return output.shape.length >= 3 && output.shape[1] === 1 ? { shape: [output.shape[0], ...output.shape.slice(2)], values: output.values } : output;
}

function lastStep(output: TensorData): TensorData {
  const [batch, time] = output.shape;
  const size = output.values.length / (batch * time);
  const values = new Float32Array(batch * size);
  for (let n = 0; n < batch; n++) values.set(output.values.subarray((n * time + time - 1) * size, (n * time + time) * size), n * size);
  return { shape: [batch, ...output.shape.slice(2)], values };
}
