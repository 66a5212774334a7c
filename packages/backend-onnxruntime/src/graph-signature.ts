import { ValueError, type GraphInput } from '@recur/core';
import type { OrtSession, OrtValueMetadata } from './onnx-runtime-api.js';

/** One recurrent state of the graph: fed as `state_in.<layer>.<h|c>`, returned as `state_out.…`. */
export interface StateSlot {
  readonly input: string;
  readonly output: string;
  /** The recurrent layer's name, the key of its states in a `StreamState`. */
  readonly layer: string;
  /** Where this state sits in the layer's `StreamState` entry: 0 for `h`, 1 for an LSTM's `c`. */
  readonly index: number;
  readonly directions: number;
  readonly units: number;
}

/** The graph's data input and output and its recurrent states, read from the runtime session. */
export interface GraphSignature {
  readonly input: GraphInput;
  readonly output: string;
  readonly states: readonly StateSlot[];
}

const STATE_IN = 'state_in.';
const STATE_OUT = 'state_out.';
/** State names in the order of core's cell states and of the ONNX operators' `initial_h`, `initial_c`. */
const STATE_NAMES = ['h', 'c'];

/**
 * Reads what a session expects, following `exportOnnx`'s naming: one data input and one data
 * output, plus optional state pairs `[directions, batch, units]`. Anything else is refused here
 * so `predict` never fails later with a runtime message about a missing feed.
 *
 * @example
 * const { input, states } = readGraphSignature(session); // input.shape: [null, null, 3]
 */
export function readGraphSignature(session: OrtSession): GraphSignature {
  const dataInputs = session.inputMetadata.filter((value) => !value.name.startsWith(STATE_IN));
  const dataOutputs = session.outputNames.filter((name) => !name.startsWith(STATE_OUT));
  if (dataInputs.length !== 1 || dataOutputs.length !== 1) {
    throw new ValueError(
      `A Recur model graph has one data input and one data output (plus optional state_in.* / state_out.*), but this one has inputs ` +
        `${list(session.inputNames)} and outputs ${list(session.outputNames)}. Use OnnxGraphModel from @recur/onnx/interpreter for other graphs.`,
    );
  }
  const input = tensorMetadata(dataInputs[0]);
  if (input.type !== 'float32' && input.type !== 'int32') {
    throw new ValueError(
      `The graph input '${input.name}' has element type ${input.type}; Recur models read float32 features or int32 token ids.`,
    );
  }
  const states = session.inputMetadata
    .filter((value) => value.name.startsWith(STATE_IN))
    .map((value): StateSlot => {
      const metadata = tensorMetadata(value);
      const output = STATE_OUT + metadata.name.slice(STATE_IN.length);
      const [directions, , units] = metadata.shape;
      if (
        !session.outputNames.includes(output) ||
        metadata.shape.length !== 3 ||
        typeof directions !== 'number' ||
        typeof units !== 'number'
      ) {
        throw new ValueError(
          `The state input '${metadata.name}' needs a matching output '${output}' and the shape [directions, batch, units] that exportOnnx(model, { exposeState: true }) writes; ` +
            `got shape [${metadata.shape.join(', ')}] and outputs ${list(session.outputNames)}.`,
        );
      }
      const [layer, index] = layerAndIndex(metadata.name.slice(STATE_IN.length));
      return { input: metadata.name, output, layer, index, directions, units };
    });
  return {
    input: {
      name: input.name,
      dtype: input.type,
      shape: input.shape.map((dimension) => (typeof dimension === 'number' ? dimension : null)),
    },
    output: dataOutputs[0],
    states,
  };
}

/** `lstm.c` -> ['lstm', 1]; a name that is not `<layer>.h` or `<layer>.c` keeps its whole name as the layer. */
function layerAndIndex(name: string): [string, number] {
  const dot = name.lastIndexOf('.');
  const index = STATE_NAMES.indexOf(name.slice(dot + 1));
  return dot > 0 && index >= 0 ? [name.slice(0, dot), index] : [name, 0];
}

function tensorMetadata(value: OrtValueMetadata): Extract<OrtValueMetadata, { isTensor: true }> {
  if (!value.isTensor)
    throw new ValueError(
      `The graph value '${value.name}' is not a tensor (a sequence or map); Recur models take and return tensors.`,
    );
  return value;
}

function list(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}
