import type { DataLike, Sequential, TensorData } from '@recur/core';
import type { ModelWithWeights } from '@recur/onnx';

/**
 * Design: the GraphBackend contract (DESIGN.md section 2).
 *
 * A KernelBackend runs primitives one at a time, so core can differentiate through them and
 * train. A GraphBackend instead takes a whole trained model, hands it to a runtime that
 * optimises and runs the graph as one unit (here ONNX Runtime, via an in-memory ONNX export),
 * and only runs inference: it has no tensors, no gradients and no optimizer. Train on a
 * KernelBackend (tsBackend(), tfjsBackend()), then `compile` the trained model here.
 *
 * The compiled model keeps the semantics of `Sequential.predict` and core's `SequenceStream`
 * (batch first, dynamic batch and time, state carried between steps); every call is async
 * because the runtimes are.
 */

/** A model in any of the forms Recur stores it: built, as spec plus weights, or exported. */
export type GraphSource = Sequential | ModelWithWeights | Uint8Array;

/** A model spec with its Keras-layout weights by name (as `Sequential.getWeights` gives them); exportOnnx's own type. */
export type { ModelWithWeights };

/**
 * A backend that runs whole trained models for inference.
 *
 * @example
 * const backend: GraphBackend = onnxRuntimeBackend();
 * const compiled = await backend.compile(trainedModel);
 * const output = await compiled.predict(x);
 */
export interface GraphBackend {
  /** Tells a graph backend from a KernelBackend: graph backends run inference only. */
  readonly kind: 'graph';
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
   * Whether `stream()` works: the graph carries its recurrent state (`state_in.*`, `state_out.*`)
   * and no layer needs the whole sequence. When false, `stream()` throws and says why.
   */
  readonly streamable: boolean;
  /** Inference on a batch (batch axis first), as `Sequential.predict`. */
  predict(x: DataLike): Promise<TensorData>;
  /** A new step-by-step runner with its own state, as core's `SequenceStream`. */
  stream(): ModelStream;
  /** Frees the runtime session; the model cannot run afterwards. */
  dispose(): Promise<void>;
}

/** One time step at a time, carrying every recurrent layer's state (text generation). */
export interface ModelStream {
  /** Feeds one time step `[N, ...features]` (token ids `[N]`); resolves to that step's output. */
  step(input: DataLike): Promise<TensorData>;
  /** Forgets the carried state: the next step starts from zeros. */
  reset(): void;
}
