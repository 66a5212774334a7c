import type { DataLike, TensorData } from '../data/tensor-data.js';
import type { ModelSpec, Sequential } from '../models/sequential.js';

/**
 * Design: the GraphBackend contract (DESIGN.md section 2).
 *
 * A KernelBackend runs primitives one at a time, so core can differentiate through them and
 * train. A GraphBackend instead takes a whole trained model, hands it to a runtime that
 * optimises and runs the graph as one unit (ONNX Runtime through an in-memory ONNX export, in
 * `@recur/backend-onnxruntime`), and only runs inference: it has no tensors, no gradients and no
 * optimizer. Train on a KernelBackend, then `compile` the trained model on a GraphBackend.
 *
 * The contract lives in core, beside KernelBackend, so core can name what it refuses, every
 * caller (the CLI, an app) codes against one set of types, and a second runtime implements the
 * same interface and runs the same checks (`runGraphBackendSuite` in `@recur/conformance`).
 *
 * Contract rules every implementation keeps:
 * - A compiled model keeps the semantics of `Sequential.predict` (batch first, dynamic batch
 *   and time) and of core's `SequenceStream` (step k's output equals the output of running the
 *   first k steps as one sequence), within the float32 forward tolerance.
 * - Every call that runs the graph is async, because runtimes are; calls on one stream run in
 *   call order even when the caller does not await each one, so carried state is never raced.
 * - `kind: 'graph'` is the discriminant: it tells a GraphBackend from a KernelBackend (which
 *   has none), so core refuses a graph backend where a kernel backend is needed with a message
 *   that says what to do (`isGraphBackend`).
 * - A backend declares `contractVersion`, a literal type, so a backend built for another
 *   version of this contract fails in the type checker.
 */

/** The contract version this build of core speaks. */
export const GRAPH_CONTRACT_VERSION = 1;

/** A model spec with its Keras-layout weights by full name, as `Sequential.spec()` and `getWeights()` give them (or as saved). */
export interface ModelWithWeights {
  readonly spec: ModelSpec;
  /** Keras-layout weights by full name (`lstm/kernel`); a Map or a plain object. */
  readonly weights: ReadonlyMap<string, TensorData> | Readonly<Record<string, TensorData>>;
}

/** A model in any of the forms Recur keeps it: built, as spec plus weights, or exported ONNX bytes. */
export type GraphSource = Sequential | ModelWithWeights | Uint8Array;

/**
 * A backend that runs whole trained models for inference.
 *
 * @example
 * const backend: GraphBackend = onnxRuntimeBackend();
 * const compiled = await backend.compile(trainedModel);
 * const output = await compiled.predict(x);
 * const stream = compiled.stream();
 * await stream.step([firstTokenId]);
 * const saved = await stream.getState(); // resume later: compiled.stream().setState(saved)
 */
export interface GraphBackend {
  /** The discriminant: graph backends run inference only (see `isGraphBackend`). */
  readonly kind: 'graph';
  /** The version of this contract the backend implements (`GRAPH_CONTRACT_VERSION`). */
  readonly contractVersion: typeof GRAPH_CONTRACT_VERSION;
  /** Short name shown in errors, e.g. `onnxruntime-node`. */
  readonly name: string;
  /** Prepares a model for inference (export, runtime session). */
  compile(source: GraphSource): Promise<CompiledModel>;
}

/** The graph's data input, as the runtime reports it. */
export interface GraphInput {
  readonly name: string;
  /** `int32` for token ids (a first Embedding layer), `float32` for features. */
  readonly dtype: 'float32' | 'int32';
  /** Batch first; null for a free axis (batch, and time in Recur exports). */
  readonly shape: readonly (number | null)[];
}

/** A model compiled by a GraphBackend, ready for inference. */
export interface CompiledModel {
  /** The backend's name, e.g. `onnxruntime-web`. */
  readonly backendName: string;
  /** What `predict` takes, so callers of an unknown ONNX file can encode their data for it. */
  readonly input: GraphInput;
  /**
   * The `metadata_props` of compiled ONNX bytes by key: a Recur export holds its spec
   * (`recur.model_spec`), the vocabulary when one was given and the exporter's own entries.
   * Empty when a Recur model or `{ spec, weights }` was compiled (the caller has them already).
   */
  readonly metadata: Readonly<Record<string, string>>;
  /**
   * Whether `stream()` works: the graph carries its recurrent state and no layer needs the
   * whole sequence. When false, `stream()` throws and says why.
   */
  readonly streamable: boolean;
  /** Inference on a batch (batch axis first), as `Sequential.predict`. */
  predict(x: DataLike): Promise<TensorData>;
  /** A new step-by-step runner with its own state, as core's `SequenceStream`. */
  stream(): ModelStream;
  /** Frees the runtime session; the model cannot run afterwards. */
  dispose(): Promise<void>;
}

/**
 * The state a stream carries between steps, by recurrent layer name: the layer's states in its
 * cell's order (`[h]` for SimpleRNN and GRU, `[h, c]` for LSTM), each `[batch, units]`. Plain
 * data, so it can be saved with a conversation and set into a new stream of the same model on
 * any backend (layer names are kept by export and compile).
 */
export type StreamState = Readonly<Record<string, readonly TensorData[]>>;

/**
 * One time step at a time, carrying every recurrent layer's state (text generation, live
 * signals, a conversation resumed later). Core's `SequenceStream` answers synchronously and
 * every graph backend's stream with promises; code that takes any stream awaits each result.
 *
 * @example
 * const stream: ModelStream = compiled.stream();
 * for (const id of prompt) probabilities = await stream.step([id]);
 * const saved = await stream.getState();
 * stream.reset();       // the next step starts from zeros
 * stream.setState(saved); // ... or from where the prompt left it
 */
export interface ModelStream {
  /** Feeds one time step `[N, ...features]` (token ids `[N]`); gives that step's output. */
  step(input: DataLike): TensorData | Promise<TensorData>;
  /** Forgets the carried state: the next step starts from zeros. */
  reset(): void;
  /**
   * The state carried after the steps called so far (a copy the caller owns); null before the
   * first step and after `reset()`, when the next step starts from zeros.
   */
  getState(): StreamState | null | Promise<StreamState | null>;
  /**
   * Carries `state` into the next step, in call order with the steps. It names every recurrent
   * layer of the model with its states' shapes `[batch, units]` (one batch for all); a missing
   * or unknown layer or a wrong shape throws a ShapeError naming the layer, the shape expected
   * and the shape given.
   */
  setState(state: StreamState): void;
}

/**
 * Whether `value` declares itself a GraphBackend (`kind: 'graph'`). Core uses it to refuse a
 * graph backend where a KernelBackend is needed with a message that says what to do instead.
 *
 * @example
 * if (isGraphBackend(backend)) return backend.compile(model);
 */
export function isGraphBackend(value: unknown): value is GraphBackend {
  return value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'graph';
}
