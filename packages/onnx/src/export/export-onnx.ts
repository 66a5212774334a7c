import { Activation, Bidirectional, Dense, Dropout, Embedding, RNN, ValueError, type Sequential, type SymbolicShape } from '@recur/core';
import { OnnxUnsupportedError } from '../onnx-errors.js';
import { encodeModel } from '../proto/encode-model.js';
import { EXPORT_IR_VERSION, EXPORT_OPSET, METADATA_KEYS, PRODUCER_NAME, RECUR_ONNX_VERSION } from '../producer.js';
import { activationNode } from './activation-node.js';
import { denseNodes } from './dense-nodes.js';
import { embeddingNodes } from './embedding-nodes.js';
import { GraphBuilder, type GraphDimension } from './graph-builder.js';
import { recurrentNode } from './recurrent-node.js';

export interface ExportOnnxOptions {
  /**
   * Add each recurrent layer's state as graph inputs `state_in.<layer>.h` (and `.c` for LSTM)
   * and outputs `state_out.<layer>.h` (`.c`), shape `[directions, batch, units]`, so a caller can run one
   * step at a time and carry the state (text generation in a browser). Default false: the
   * state starts at zero and is not returned.
   */
  readonly exposeState?: boolean;
  /** The token strings by id, stored as JSON under `recur.vocabulary` in `metadata_props`. */
  readonly vocabulary?: readonly string[];
  /** More `metadata_props` entries; keys must not start with `recur.`. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Graph input and output names; default `input` and `output`. */
  readonly inputName?: string;
  readonly outputName?: string;
}

/**
 * Writes a built Sequential model as ONNX bytes (opset 17, IR version 8) that ONNX Runtime runs
 * in Node or the browser. Layers: Embedding (Gather; `maskZero` becomes `sequence_lens`, valid
 * for post-padded rows), LSTM, GRU, SimpleRNN and their Bidirectional (one standard `LSTM`,
 * `GRU` or `RNN` node each), Dense
 * (MatMul + Add), Activation, Dropout (the identity at inference). Batch and time axes are
 * dynamic (`batch`, `sequence`). The model spec, Recur version and vocabulary go into
 * `metadata_props`, so the file describes itself.
 *
 * @example
 * import { InferenceSession, Tensor } from 'onnxruntime-node';
 * const bytes = exportOnnx(model, { vocabulary });
 * const session = await InferenceSession.create(bytes);
 * const { output } = await session.run({ input: new Tensor('int32', ids, [1, ids.length]) });
 */
export function exportOnnx(model: Sequential, options: ExportOnnxOptions = {}): Uint8Array {
  if (!model.isBuilt) throw new ValueError(`Model '${model.name}' has no weights yet: call model.build({ backend }) (or train it) before exportOnnx.`);
  const builder = new GraphBuilder();
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  const firstLayer = model.layers[0];
  builder.input(inputName, firstLayer.inputDtype, graphShape(model.inputShape));
  const outputReserved = builder.reserveOutput(outputName);
  builder.output(outputReserved, 'float32', graphShape(model.outputShape));

  let value = inputName;
  let sequenceLens: string | null = null;
  model.layers.forEach((layer, k) => {
    const inputShape = model.shapes[k];
    if (layer instanceof Embedding) {
      if (k !== 0) throw new OnnxUnsupportedError(`Layer '${layer.name}' (Embedding) must be the first layer to be exported (it reads the int32 token ids).`);
      const result = embeddingNodes(builder, layer, value);
      value = result.output;
      sequenceLens = result.sequenceLens;
    } else if (layer instanceof RNN || layer instanceof Bidirectional) {
      value = recurrentNode(builder, layer, { input: value, sequenceLens, exposeState: options.exposeState === true });
      if (!layer.returnSequences) sequenceLens = null;
    } else if (layer instanceof Dense) {
      value = denseNodes(builder, layer, value);
      if (inputShape.length !== 3) sequenceLens = null;
    } else if (layer instanceof Activation) {
      value = activationNode(builder, layer.name, layer.activation, value);
    } else if (layer instanceof Dropout) {
      // The identity at inference: no node.
    } else {
      throw new OnnxUnsupportedError(
        `Layer '${layer.name}' (${layer.kind}) cannot be exported to ONNX yet; supported: Embedding, LSTM, GRU, SimpleRNN, Bidirectional, Dense, Activation, Dropout.`,
      );
    }
  });
  // The graph output keeps its exact name: an Identity node renames the last value.
  builder.node('Identity', 'output/Identity', [value], [{ exact: outputReserved }]);

  return encodeModel({
    irVersion: EXPORT_IR_VERSION,
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    producerName: PRODUCER_NAME,
    producerVersion: RECUR_ONNX_VERSION,
    docString: `Recur model '${model.name}'`,
    graph: builder.build(model.name),
    metadataProps: metadataProps(model, options),
  });
}

/** A Recur symbolic shape as ONNX dimensions: the batch axis is `batch`, a free time axis `sequence`. */
function graphShape(shape: SymbolicShape): GraphDimension[] {
  return shape.map((dimension, axis) => (dimension !== null ? dimension : axis === 0 ? 'batch' : axis === 1 ? 'sequence' : `dim_${axis}`));
}

function metadataProps(model: Sequential, options: ExportOnnxOptions): { key: string; value: string }[] {
  const entries: { key: string; value: string }[] = [
    { key: METADATA_KEYS.modelSpec, value: JSON.stringify(model.spec()) },
    { key: METADATA_KEYS.version, value: RECUR_ONNX_VERSION },
  ];
  if (options.vocabulary !== undefined) entries.push({ key: METADATA_KEYS.vocabulary, value: JSON.stringify(options.vocabulary) });
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    if (key.startsWith('recur.')) throw new ValueError(`exportOnnx: metadata key '${key}' is reserved (keys starting with 'recur.' are Recur's own); rename it.`);
    if (typeof value !== 'string') throw new ValueError(`exportOnnx: metadata '${key}' must be a string, got ${typeof value}; JSON.stringify it first.`);
    entries.push({ key, value });
  }
  return entries;
}
