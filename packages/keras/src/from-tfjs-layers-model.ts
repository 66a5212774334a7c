import { Sequential, ValueError, type LayerSpec, type ModelSpec, type TensorData } from '@recur/core';
import type { TfjsModelArtifacts } from './tfjs-artifacts.js';
import { decodeWeightData, joinWeightData } from './decode-weight-data.js';
import { kerasLayerToSpec, type LayerConversionContext } from './keras-layer-to-spec.js';
import { asKerasLayer, producerOf, snakeCaseKeys, type KerasLayerJson } from './keras-layer-json.js';
import { matchLayerWeights } from './match-layer-weights.js';

export interface FromTfjsLayersOptions {
  /** Shape of one sample, when the file does not record it (no `batch_input_shape`). */
  readonly inputShape?: readonly (number | null)[];
}

/** A tfjs Layers model read as Recur's canonical form. */
export interface TfjsLayersImport {
  readonly spec: ModelSpec;
  /** Weights under Recur's names (`lstm/kernel`, `bidirectional/forward_lstm/bias`), Keras layout. */
  readonly weights: Map<string, TensorData>;
  /**
   * What was read approximately and why: initializers without a Recur twin, training-only
   * options, TimeDistributed unwrapped, masked-step outputs. Empty when the import is exact.
   */
  readonly notes: string[];
}

/** The sample shape a Keras layer records (`batch_input_shape` / `batch_shape` / Embedding's `input_length`). */
function recordedInputShape(layer: KerasLayerJson): (number | null)[] | undefined {
  const batchShape = layer.config.batch_input_shape ?? layer.config.batch_shape;
  if (Array.isArray(batchShape)) return batchShape.slice(1) as (number | null)[];
  if (
    layer.class_name === 'Embedding' &&
    (typeof layer.config.input_length === 'number' || layer.config.input_length === null)
  ) {
    return [layer.config.input_length as number | null];
  }
  return undefined;
}

function sequentialLayers(topology: Record<string, unknown>): {
  name: string;
  layers: unknown[];
  buildInputShape: unknown;
} {
  if (topology.class_name !== 'Sequential') {
    throw new ValueError(
      `The model is a ${JSON.stringify(topology.class_name)}; Recur imports Sequential Layers models only (a functional Model's graph is not a stack).`,
    );
  }
  const config = topology.config;
  // Keras before 2.2.3 wrote a Sequential's config as the bare list of layers.
  if (Array.isArray(config)) return { name: 'sequential', layers: config, buildInputShape: undefined };
  if (config === null || typeof config !== 'object' || !Array.isArray((config as { layers?: unknown }).layers)) {
    throw new ValueError("The Sequential topology has no 'layers' list in its config.");
  }
  const {
    name,
    layers,
    build_input_shape: buildInputShape,
  } = config as { name?: unknown; layers: unknown[]; build_input_shape?: unknown };
  return { name: typeof name === 'string' ? name : 'sequential', layers, buildInputShape };
}

/**
 * Reads a tfjs Layers model (`model.json` topology + weights: what `tensorflowjs_converter`
 * writes from Keras and what tfjs's `model.save` writes) as a Recur spec and weights.
 * Sequential models of Embedding, LSTM, GRU, SimpleRNN, Bidirectional, Dense, Dropout,
 * Activation, Masking and TimeDistributed(Dense) are read; every option is taken from the file,
 * never from a library default that differs between tfjs and Keras 3. Anything Recur cannot
 * reproduce exactly is refused with the layer's name: tfjs / Keras 2 `hard_sigmoid`
 * (0.2x + 0.5; Recur's is Keras 3's x / 6 + 0.5), other layer classes, stateful layers.
 *
 * @example
 * let artifacts;
 * await tfModel.save(tf.io.withSaveHandler(async (saved) => { artifacts = saved; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
 * const { spec, weights } = fromTfjsLayersModel(artifacts);
 * const model = Sequential.fromSpec(spec).build({ backend: tsBackend() });
 * model.setWeights(weights);
 */
export function fromTfjsLayersModel(
  artifacts: TfjsModelArtifacts,
  options: FromTfjsLayersOptions = {},
): TfjsLayersImport {
  if (
    artifacts === null ||
    typeof artifacts !== 'object' ||
    artifacts.modelTopology === undefined ||
    artifacts.modelTopology instanceof ArrayBuffer
  ) {
    throw new ValueError(
      'These artifacts hold no Layers-model topology (modelTopology as JSON): pass what model.save hands to its save handler, or model.json read with fromTfjsModelFiles.',
    );
  }
  if (artifacts.format === 'graph-model' || 'node' in artifacts.modelTopology) {
    throw new ValueError(
      'This is a tfjs graph model (converted from a SavedModel or frozen graph); Recur reads Layers models (format "layers-model").',
    );
  }
  if (artifacts.weightSpecs === undefined || artifacts.weightData === undefined) {
    throw new ValueError('These artifacts carry no weights (weightSpecs and weightData): load the weight files too.');
  }
  const outer = snakeCaseKeys(artifacts.modelTopology) as Record<string, unknown>;
  const topology = (outer.model_config ?? outer) as Record<string, unknown>;
  const producer = producerOf(outer.keras_version ?? topology.keras_version);
  const file = decodeWeightData(artifacts.weightSpecs, joinWeightData(artifacts.weightData));
  const { name, layers, buildInputShape } = sequentialLayers(topology);

  const notes: string[] = [];
  const context: LayerConversionContext = {
    producer,
    notes,
    biasRank: (layerName) => {
      const bias = [...file.entries()].find(
        ([weightName]) => weightName.startsWith(`${layerName}/`) && /(^|\/)bias(:\d+)?$/.test(weightName),
      );
      return bias === undefined ? null : bias[1].shape.length;
    },
  };
  let inputShape: (number | null)[] | undefined = Array.isArray(buildInputShape)
    ? (buildInputShape.slice(1) as (number | null)[])
    : undefined;
  const fileNames: string[] = [];
  const layerSpecs: LayerSpec[] = [];
  layers.forEach((entry, k) => {
    const layer = asKerasLayer(entry, `Layer ${k} of the topology`);
    // Only the input (or first) layer records the model's input shape.
    if (layerSpecs.length === 0) inputShape ??= recordedInputShape(layer);
    if (layer.class_name === 'InputLayer') return;
    fileNames.push(String(layer.config.name));
    layerSpecs.push(kerasLayerToSpec(layer, context));
  });
  if (layerSpecs.length === 0) throw new ValueError('The Sequential topology has no layers.');
  const sampleShape = options.inputShape ?? inputShape;
  if (sampleShape === undefined) {
    throw new ValueError(
      'The model.json records no input shape (no batch_input_shape on its first layer): pass fromTfjsLayersModel(artifacts, { inputShape: [...] }).',
    );
  }
  if (
    layerSpecs.some((spec) => spec.config.returnSequences === true || spec.kind === 'Bidirectional') &&
    layerSpecs.some((spec) => spec.config.maskZero === true || spec.kind === 'Masking')
  ) {
    notes.push(
      'The model masks padding and returns sequences: at masked steps Recur outputs 0, where a tfjs or Keras recurrent layer repeats its previous output. ' +
        'Outputs at real steps, and final states, are the same.',
    );
  }

  const spec: ModelSpec = {
    format: 'recur-model',
    formatVersion: 1,
    kind: 'Sequential',
    name,
    inputShape: [...sampleShape],
    layers: layerSpecs,
  };
  const model = Sequential.fromSpec(spec);
  const consumed = new Set<string>();
  const weights = new Map<string, TensorData>();
  model.layers.forEach((layer, k) => {
    for (const [recurName, data] of matchLayerWeights(
      fileNames[k],
      file,
      layer.name,
      layer.weightSpecs(model.shapes[k]),
      consumed,
    )) {
      weights.set(recurName, data);
    }
  });
  const stray = [...file.keys()].filter((weightName) => !consumed.has(weightName));
  if (stray.length > 0)
    throw new ValueError(`The weight manifest holds weight(s) no layer of the topology owns: ${stray.join(', ')}.`);
  return { spec, weights, notes };
}
