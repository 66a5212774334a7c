import {
  Bidirectional,
  BackendError,
  RNN,
  ValueError,
  type CompiledModel,
  type DataLike,
  type GraphInput,
  type ModelStream,
  type Sequential,
  type TensorData,
} from '@recur/core';
import type { ExportedGraph } from './export-graph-source.js';
import { readGraphSignature, type GraphSignature } from './graph-signature.js';
import type { OrtNamespace, OrtSession, OrtTensor } from './onnx-runtime-api.js';
import { OnnxRuntimeStream } from './onnx-runtime-stream.js';
import { toGraphInput } from './to-graph-input.js';

/** One run of the graph: its data output and the state after the last step, by state input name. */
export interface GraphRun {
  readonly output: TensorData;
  readonly states: ReadonlyMap<string, TensorData>;
}

/**
 * A Recur model loaded into an ONNX Runtime session. `predict` starts every recurrent layer from
 * a zero state, as `Sequential.predict` does; streams feed the state back step after step.
 *
 * @example
 * const compiled = await onnxRuntimeBackend().compile(model);
 * const probabilities = await compiled.predict([[3, 1, 4, 1, 5]]);
 * await compiled.dispose();
 */
export class OnnxRuntimeModel implements CompiledModel {
  readonly signature: GraphSignature;
  /** The Recur model behind the graph, when known (see `exportGraphSource`). */
  readonly structure: Sequential | null;
  readonly metadata: Readonly<Record<string, string>>;
  private session: OrtSession | null;

  constructor(
    private readonly Tensor: OrtNamespace<unknown>['Tensor'],
    session: OrtSession,
    readonly backendName: string,
    graph: Pick<ExportedGraph, 'structure' | 'metadata'>,
  ) {
    this.signature = readGraphSignature(session);
    this.structure = graph.structure;
    this.metadata = graph.metadata;
    this.session = session;
  }

  get input(): GraphInput {
    return this.signature.input;
  }

  get streamable(): boolean {
    return this.streamRefusal() === null;
  }

  async predict(x: DataLike): Promise<TensorData> {
    const { output } = await this.run(toGraphInput(x, this.signature, this.structure, 'sequence'), null);
    return output;
  }

  stream(): ModelStream {
    this.requireSession();
    const refusal = this.streamRefusal();
    if (refusal !== null) throw new ValueError(refusal);
    return new OnnxRuntimeStream(this);
  }

  /** Why this graph cannot run step by step, or null when it can. */
  private streamRefusal(): string | null {
    const blocking = this.structure?.layers.find(
      (layer) => layer instanceof Bidirectional || (layer instanceof RNN && layer.goBackwards),
    );
    if (blocking !== undefined)
      return `Layer '${blocking.name}' (${blocking.kind}) needs the whole sequence and cannot run step by step.`;
    if (this.signature.states.length === 0) {
      return 'This ONNX model has no state inputs (state_in.<layer>.h), so it cannot carry state between steps: export it with exportOnnx(model, { exposeState: true }), or compile the Recur model itself.';
    }
    const bidirectional = this.signature.states.find((state) => state.directions !== 1);
    if (bidirectional !== undefined)
      return `The state '${bidirectional.input}' has ${bidirectional.directions} directions: a bidirectional layer needs the whole sequence and cannot run step by step.`;
    return null;
  }

  /**
   * Runs the graph once on a checked input (see `toGraphInput`); `states` null starts every
   * recurrent layer from zeros.
   */
  async run(input: TensorData, states: ReadonlyMap<string, TensorData> | null): Promise<GraphRun> {
    const session = this.requireSession();
    const Tensor = this.Tensor;
    const batch = input.shape[0];
    const feeds: Record<string, OrtTensor> = {
      [this.signature.input.name]: new Tensor(this.signature.input.dtype, input.values, input.shape),
    };
    for (const state of this.signature.states) {
      const shape = [state.directions, batch, state.units];
      feeds[state.input] = new Tensor(
        'float32',
        (states?.get(state.input)?.values as Float32Array | undefined) ??
          new Float32Array(state.directions * batch * state.units),
        shape,
      );
    }
    let results: Record<string, OrtTensor>;
    try {
      results = await session.run(feeds);
    } catch (error) {
      throw new BackendError(
        `${this.backendName} could not run the model: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const next = new Map<string, TensorData>();
    for (const state of this.signature.states) next.set(state.input, hostData(results[state.output], state.output));
    return { output: hostData(results[this.signature.output], this.signature.output), states: next };
  }

  /** Training needs a KernelBackend: ONNX Runtime sessions run inference only. */
  fit(): never {
    throw new BackendError(
      `${this.backendName} runs inference only and cannot train. Train the Sequential model on a KernelBackend (model.compile({ backend: tsBackend(), ... }); await model.fit(x, y)), then compile the trained model here.`,
    );
  }

  async dispose(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.release();
  }

  private requireSession(): OrtSession {
    if (this.session === null)
      throw new ValueError(`This compiled model was disposed; compile the model again to run it.`);
    return this.session;
  }
}

function hostData(tensor: OrtTensor, name: string): TensorData {
  if (tensor.type !== 'float32')
    throw new BackendError(`The graph output '${name}' is ${tensor.type}; Recur models return float32.`);
  return { shape: [...tensor.dims], values: tensor.data as Float32Array };
}
