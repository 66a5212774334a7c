import { Sequential, ValueError, type ModelWithWeights, type SymbolicShape } from '@recur/core';
import { encodeModel } from '../proto/encode-model.js';
import { EXPORT_IR_VERSION, EXPORT_OPSET, METADATA_KEYS, PRODUCER_NAME, RECUR_ONNX_VERSION } from '../producer.js';
import { attribute } from './attributes.js';
import { GraphBuilder, type GraphDimension } from './graph-builder.js';
import { exportLayer, isRecurrentExport } from './layer-exporters.js';
import { layerWeightsOf, type LayerWeights } from './layer-weights.js';

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

/** A model as spec plus weights (as `Sequential.spec()` and `getWeights()` give them, or as saved): core's type, re-exported here. */
export type { ModelWithWeights };

/**
 * Writes a Sequential model as ONNX bytes (opset 17, IR version 8) that ONNX Runtime runs in
 * Node or the browser. The model is a built Sequential, or `{ spec, weights }` (no backend
 * needed: the exporter reads only the spec and the weight values, checked by name and shape).
 * Layers: Embedding (Gather; `maskZero` becomes `sequence_lens`), Masking (the step mask in the
 * graph, and `sequence_lens`), both valid for post-padded rows; LSTM, GRU, SimpleRNN and their
 * Bidirectional (one standard `LSTM`, `GRU` or `RNN` node each), Dense (Gemm, or MatMul + Add
 * on sequences), Activation, Dropout (the identity at inference), and TimeDistributed around
 * Dense, Activation or Dropout. Batch and time axes are dynamic (`batch`, `sequence`). The model
 * spec, Recur version and vocabulary go into `metadata_props`, so the file describes itself.
 *
 * @example
 * import { InferenceSession, Tensor } from 'onnxruntime-node';
 * const bytes = exportOnnx(model, { vocabulary }); // or exportOnnx({ spec, weights })
 * const session = await InferenceSession.create(bytes);
 * const { output } = await session.run({ input: new Tensor('int32', ids, [1, ids.length]) });
 */
export function exportOnnx(source: Sequential | ModelWithWeights, options: ExportOnnxOptions = {}): Uint8Array {
  const { model, weights } = modelAndWeights(source);
  const builder = new GraphBuilder();
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  const firstLayer = model.layers[0];
  // Recurrent graphs take any sequence length, whatever length the model was trained on: axis 1
  // of a sequence input (ids [N, T] or features [N, T, F]) is the free `sequence` axis, and so is
  // axis 1 of a sequence output.
  const timeAxisFree = model.inputShape.length >= 3 || firstLayer.kind === 'Embedding';
  builder.input(inputName, firstLayer.inputDtype, graphShape(model.inputShape, timeAxisFree));
  const outputReserved = builder.reserveOutput(outputName);
  builder.output(
    outputReserved,
    'float32',
    graphShape(model.outputShape, timeAxisFree && model.outputShape.length >= 3),
  );

  // ONNX's recurrent operators read time-major [T, N, F] (ONNX Runtime refuses layout 1). The
  // graph transposes its input once, the token ids rather than their embeddings when the model
  // starts with an Embedding, and stays time-major up to the last recurrent layer, so the layers
  // before it (Embedding, Masking, per-step Dense and Activation) and stacked recurrent layers
  // need no transposes between them.
  const lastRecurrent = model.layers.reduce((last, layer, k) => (isRecurrentExport(layer) ? k : last), -1);
  let timeMajor = lastRecurrent >= 0;
  let value = timeMajor ? timeMajorInput(builder, inputName, model.inputShape.length) : inputName;
  let sequenceLens: string | null = null;
  model.layers.forEach((layer, k) => {
    const step = {
      builder,
      index: k,
      weights: weights[k],
      inputShape: model.shapes[k],
      input: value,
      sequenceLens,
      timeMajor,
      lastRecurrent,
      exposeState: options.exposeState === true,
    };
    ({ output: value, sequenceLens, timeMajor } = exportLayer(layer, step));
  });
  // The graph output keeps its exact name: the node computing the last value writes it under that
  // name; only a model that computes nothing (Dropout alone) needs an Identity.
  if (!builder.renameNodeOutput(value, outputReserved))
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

/** The model's layers (from the Sequential, or rebuilt from the spec without weights) and its checked weights by layer. */
function modelAndWeights(source: Sequential | ModelWithWeights): { model: Sequential; weights: LayerWeights[] } {
  if (source instanceof Sequential) {
    if (!source.isBuilt)
      throw new ValueError(
        `Model '${source.name}' has no weights yet: call model.build({ backend }) (or train it) before exportOnnx, or pass { spec, weights }.`,
      );
    return { model: source, weights: layerWeightsOf(source, source.getWeights()) };
  }
  if (source === null || typeof source !== 'object' || !('spec' in source) || !('weights' in source)) {
    throw new ValueError(
      'exportOnnx expects a built Sequential model or { spec, weights } (model.spec() and model.getWeights(), or a saved model).',
    );
  }
  const given = source.weights;
  if (given === null || typeof given !== 'object')
    throw new ValueError(
      'exportOnnx: { spec, weights }: weights must be a Map or a plain object of { shape, values } by weight name.',
    );
  const model = Sequential.fromSpec(source.spec);
  return { model, weights: layerWeightsOf(model, given instanceof Map ? given : new Map(Object.entries(given))) };
}

/** The graph input with its batch and time axes swapped: ids `[T, N]` or features `[T, N, F]`. */
function timeMajorInput(builder: GraphBuilder, input: string, rank: number): string {
  const perm = rank === 2 ? [1, 0] : [1, 0, 2];
  return builder.node('Transpose', 'input/Transpose', [input], ['input/time_major'], [attribute.ints('perm', perm)])[0];
}

/** A Recur symbolic shape as ONNX dimensions: the batch axis is `batch`, the time axis `sequence`. */
function graphShape(shape: SymbolicShape, timeAxisFree: boolean): GraphDimension[] {
  return shape.map((dimension, axis) => {
    if (axis === 0) return 'batch';
    if (axis === 1 && (timeAxisFree || dimension === null)) return 'sequence';
    return dimension ?? `dim_${axis}`;
  });
}

function metadataProps(model: Sequential, options: ExportOnnxOptions): { key: string; value: string }[] {
  const entries: { key: string; value: string }[] = [
    { key: METADATA_KEYS.modelSpec, value: JSON.stringify(model.spec()) },
    { key: METADATA_KEYS.version, value: RECUR_ONNX_VERSION },
  ];
  if (options.vocabulary !== undefined)
    entries.push({ key: METADATA_KEYS.vocabulary, value: JSON.stringify(options.vocabulary) });
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    if (key.startsWith('recur.'))
      throw new ValueError(
        `exportOnnx: metadata key '${key}' is reserved (keys starting with 'recur.' are Recur's own); rename it.`,
      );
    if (typeof value !== 'string')
      throw new ValueError(
        `exportOnnx: metadata '${key}' must be a string, got ${typeof value}; JSON.stringify it first.`,
      );
    entries.push({ key, value });
  }
  return entries;
}
