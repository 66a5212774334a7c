import type { TensorData } from '@recur/core';
import { CliError } from '../cli-error.js';

/** State tensors by graph input name (`state_in.<layer>.h` / `.c`). */
export type OnnxState = ReadonlyMap<string, TensorData>;

/**
 * An ONNX model on ONNX Runtime (onnxruntime-node), as the CLI needs it: one input, one
 * output, and optionally recurrent state exposed by `exportOnnx(..., { exposeState: true })`
 * (inputs `state_in.*`, outputs `state_out.*`) carried between calls for step-by-step
 * generation. This file is the CLI's only contact with ONNX Runtime: when
 * `@recur/backend-onnxruntime` lands, it replaces this file.
 */
export interface OnnxSession {
  readonly inputName: string;
  readonly inputType: 'int32' | 'float32';
  /** Whether the graph takes and returns recurrent state. */
  readonly hasState: boolean;
  /** Runs the model; missing state inputs start at zero. Returns the output and the next state. */
  run(input: TensorData, state?: OnnxState): Promise<{ output: TensorData; state: OnnxState }>;
  release(): Promise<void>;
}

const STATE_IN = 'state_in.';
const STATE_OUT = 'state_out.';

/**
 * Opens ONNX bytes on ONNX Runtime's CPU provider.
 *
 * @example
 * const session = await openOnnxSession(await readFile('model.onnx'), 'model.onnx');
 * const { output } = await session.run({ shape: [1, 40], values: ids });
 */
export async function openOnnxSession(bytes: Uint8Array, source: string): Promise<OnnxSession> {
  const ort = await import('onnxruntime-node');
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (error) {
    throw new CliError(`ONNX Runtime cannot open ${source}: ${(error as Error).message.split('\n')[0]}`);
  }
  const inputs = session.inputMetadata;
  const dataInputs = inputs.filter((input) => !input.name.startsWith(STATE_IN));
  const dataOutputs = session.outputNames.filter((name) => !name.startsWith(STATE_OUT));
  if (dataInputs.length !== 1 || dataOutputs.length !== 1) {
    throw new CliError(`${source} has ${dataInputs.length} inputs and ${dataOutputs.length} outputs besides recurrent state; the CLI runs models with one of each.`);
  }
  const input = dataInputs[0];
  const inputType = input.isTensor && input.type === 'int32' ? 'int32' : input.isTensor && input.type === 'float32' ? 'float32' : null;
  if (inputType === null) throw new CliError(`${source}: input '${input.name}' is not an int32 or float32 tensor; the CLI cannot feed it.`);
  const stateInputs = inputs.filter((candidate) => candidate.name.startsWith(STATE_IN));
  const outputName = dataOutputs[0];
  return {
    inputName: input.name,
    inputType,
    hasState: stateInputs.length > 0,
    async run(data, state) {
      const batch = data.shape[0];
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
        [input.name]: new ort.Tensor(inputType, inputType === 'int32' ? Int32Array.from(data.values) : Float32Array.from(data.values), [...data.shape]),
      };
      for (const stateInput of stateInputs) {
        const carried = state?.get(stateInput.name);
        if (carried !== undefined) feeds[stateInput.name] = new ort.Tensor('float32', Float32Array.from(carried.values), [...carried.shape]);
        else {
          const shape = (stateInput as { shape: readonly (number | string)[] }).shape.map((d) => (typeof d === 'number' ? d : batch));
          feeds[stateInput.name] = new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
        }
      }
      let results: Awaited<ReturnType<typeof session.run>>;
      try {
        results = await session.run(feeds);
      } catch (error) {
        throw new CliError(`The input does not fit the model ${source} on ONNX Runtime: ${(error as Error).message.split('\n').slice(0, 2).join(' ').trim()}`);
      }
      const next = new Map<string, TensorData>();
      for (const stateInput of stateInputs) {
        const produced = results[STATE_OUT + stateInput.name.slice(STATE_IN.length)];
        if (produced !== undefined) next.set(stateInput.name, { shape: [...produced.dims], values: produced.data as Float32Array });
      }
      const output = results[outputName];
      return { output: { shape: [...output.dims], values: output.data as Float32Array }, state: next };
    },
    release: () => session.release(),
  };
}
