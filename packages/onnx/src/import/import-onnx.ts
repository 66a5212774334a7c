import { Sequential, type BuildOptions, type ModelSpec, type TensorData } from '@recur/core';
import { OnnxFormatError, OnnxUnsupportedError } from '../onnx-errors.js';
import { METADATA_KEYS } from '../producer.js';
import { decodeModel } from '../proto/decode-model.js';
import { parseGraph, type OnnxGraph } from './onnx-graph.js';
import { checkNodeAttributes, checkOperator } from './ops/op-table.js';
import { sequentialChain } from './sequential-chain.js';
import { recurExportWeightGroups, sequentialWeights } from './sequential-weights.js';

/** What `importOnnx` read from a file. */
export interface OnnxImport {
  /** The decoded, checked graph (inputs, outputs, nodes, initializers). */
  readonly graph: OnnxGraph;
  /** Every `metadata_props` entry. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The vocabulary stored by exportOnnx, or null. */
  readonly vocabulary: string[] | null;
  /**
   * The Recur model spec when the graph is a Sequential chain, else null: always for Recur's own
   * exports (read from the metadata), and for chains made elsewhere that Recur recognises
   * (PyTorch's Embedding / LSTM / GRU / RNN / Linear exports, single recurrent nodes).
   */
  readonly spec: ModelSpec | null;
  /** Keras-layout weights named as the Sequential's `getWeights` names them (empty when `spec` is null). */
  readonly weights: ReadonlyMap<string, TensorData>;
  /** Why the graph is not a Sequential chain, when `spec` is null. */
  readonly notSequentialReason: string | null;
  /**
   * How the Sequential's input and output are laid out differently from the graph's, one
   * sentence each; empty when they are the same tensors. A graph reading its input time-major
   * (`[time, batch, features]`, as PyTorch's default) becomes a batch-first Sequential, and a
   * final state `Y_h` `[directions, batch, units]` becomes `[batch, directions * units]`.
   */
  readonly layoutNotes: readonly string[];
  /**
   * The graph as a built Recur Sequential model, when it is a chain (see `spec` and
   * `layoutNotes`); else throws `notSequentialReason`. A graph that reads its input time-major
   * needs `acceptTransposedInput: true`: the Sequential takes the same data batch first, and data
   * fed in the graph's layout would give wrong numbers without an error when batch and time are
   * both free.
   */
  toSequential(options: BuildOptions & { readonly acceptTransposedInput?: boolean }): Sequential;
}

/**
 * Reads ONNX bytes (a Recur export, a PyTorch `torch.onnx.export`, an ONNX test model) into
 * Recur terms. Every node is checked first: unsupported operators, attributes or element types
 * fail here with an error naming the node. LSTM nodes map to Recur LSTM layers with weights in
 * Keras layout (gates i, o, f, c -> i, f, c, o; B's two halves summed).
 *
 * @example
 * const imported = importOnnx(readFileSync('model.onnx'));
 * const model = imported.toSequential({ backend: tsBackend() });
 * const graph = new OnnxGraphModel(imported.graph, { backend: tsBackend() }); // any graph shape, from @recur/onnx/interpreter
 */
export function importOnnx(bytes: Uint8Array): OnnxImport {
  const graph = parseGraph(decodeModel(bytes), checkOperator);
  for (const node of graph.nodes) checkNodeAttributes(node);
  const metadata = graph.metadata;
  const vocabulary = parseJson<string[]>(metadata[METADATA_KEYS.vocabulary], METADATA_KEYS.vocabulary);
  const recurSpec = parseJson<ModelSpec>(metadata[METADATA_KEYS.modelSpec], METADATA_KEYS.modelSpec);
  const found =
    recurSpec !== null
      ? {
          spec: recurSpec,
          weights: sequentialWeights(recurSpec, recurExportWeightGroups(graph)),
          layoutNotes: [],
          inputTransposed: false,
        }
      : sequentialChain(graph);
  const chain = 'reason' in found ? null : found;
  const spec = chain?.spec ?? null;
  const weights = chain?.weights ?? new Map<string, TensorData>();
  const notSequentialReason = 'reason' in found ? `not a Sequential chain: ${found.reason}` : null;
  return {
    graph,
    metadata,
    vocabulary,
    spec,
    weights,
    notSequentialReason,
    layoutNotes: chain?.layoutNotes ?? [],
    toSequential: ({ acceptTransposedInput, ...buildOptions }) => {
      if (spec === null)
        throw new OnnxUnsupportedError(
          `This ONNX graph (made by ${graph.producer || 'an unknown producer'}) is ${notSequentialReason}. Run it with OnnxGraphModel from @recur/onnx/interpreter.`,
        );
      if (chain?.inputTransposed === true && acceptTransposedInput !== true) {
        throw new OnnxUnsupportedError(
          `${chain.layoutNotes[0]} Pass { acceptTransposedInput: true } to toSequential once your data is batch first, or run the graph as it is with OnnxGraphModel from @recur/onnx/interpreter.`,
        );
      }
      const model = Sequential.fromSpec(spec);
      model.build(buildOptions);
      model.setWeights(weights);
      return model;
    },
  };
}

function parseJson<T>(text: string | undefined, key: string): T | null {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new OnnxFormatError(`The metadata entry '${key}' is not valid JSON (${(error as Error).message}).`);
  }
}
