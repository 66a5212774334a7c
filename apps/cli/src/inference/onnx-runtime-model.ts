import { RecurError, type GraphSource, type ModelStream, type TensorData } from '@recur/core';
import { CliError } from '../cli-error.js';
import { fromMetadata } from '../model/cli-metadata.js';
import type { InferenceModel } from './inference-model.js';
import { replayStream } from './replay-stream.js';

/**
 * A model on ONNX Runtime through `@recur/backend-onnxruntime`: ONNX bytes (an `.onnx` file),
 * or a loaded Recur model exported in memory. The CLI's metadata (task, vocabulary) comes from
 * `metadata` when given (a model folder's), else from the ONNX file's own `metadata_props`.
 *
 * @example
 * const model = await openOnnxRuntimeModel(await readFile('out/demo/model.onnx'), 'out/demo/model.onnx');
 */
export async function openOnnxRuntimeModel(
  source: GraphSource,
  path: string,
  metadata?: Readonly<Record<string, string>>,
): Promise<InferenceModel> {
  const { onnxRuntimeBackend } = await import('@recur/backend-onnxruntime');
  const compiled = await onnxRuntimeBackend()
    .compile(source)
    .catch((error: unknown) => {
      if (error instanceof RecurError) throw new CliError(`ONNX Runtime cannot open '${path}': ${firstLine(error)}`);
      throw error;
    });
  const predict = (x: TensorData): Promise<TensorData> => withInputErrors(() => compiled.predict(x));
  return {
    source: path,
    metadata: fromMetadata(metadata ?? compiled.metadata, `'${path}'`),
    inputDtype: compiled.input.dtype,
    runtime: compiled.backendName,
    predict,
    createStream(): ModelStream {
      if (!compiled.streamable) return replayStream(predict, compiled.input.dtype);
      const stream = compiled.stream();
      return {
        step: (input) => withInputErrors(async () => stream.step(input)),
        reset: () => stream.reset(),
        getState: () => stream.getState(),
        setState: (state) => stream.setState(state),
      };
    },
    dispose: () => compiled.dispose(),
  };
}

/** Runs one inference call; a check failing on the input becomes the CLI's one-line message. */
async function withInputErrors(run: () => Promise<TensorData>): Promise<TensorData> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RecurError) throw new CliError(`The input does not fit the model: ${firstLine(error)}`);
    throw error;
  }
}

/** ONNX Runtime's messages can run over several lines; the CLI prints one. */
function firstLine(error: Error): string {
  return error.message.split('\n')[0];
}
