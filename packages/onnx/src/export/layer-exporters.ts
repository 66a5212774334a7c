import type {
  Activation,
  Bidirectional,
  Dense,
  Embedding,
  Layer,
  Masking,
  RNN,
  SymbolicShape,
  TimeDistributed,
} from '@recur/core';
import { OnnxUnsupportedError } from '../onnx-errors.js';
import { activationNode } from './activation-node.js';
import { denseNodes } from './dense-nodes.js';
import { embeddingNodes } from './embedding-nodes.js';
import type { GraphBuilder } from './graph-builder.js';
import type { LayerWeights } from './layer-weights.js';
import { maskingNodes } from './masking-nodes.js';
import { recurrentNode } from './recurrent-node.js';

/** Where the export of a Sequential stands when it reaches one layer. */
export interface LayerExportStep {
  readonly builder: GraphBuilder;
  /** The layer's position in the model. */
  readonly index: number;
  readonly weights: LayerWeights;
  readonly inputShape: SymbolicShape;
  /** The graph value the layer reads. */
  readonly input: string;
  /** Each row's count of real steps, while the graph still knows it. */
  readonly sequenceLens: string | null;
  /** Whether `input` is time-major (`[T, N, ...]`). */
  readonly timeMajor: boolean;
  /** The position of the model's last recurrent layer, after which the graph is batch-major. */
  readonly lastRecurrent: number;
  readonly exposeState: boolean;
}

/** What a layer hands to the next one: its output value, the sequence lengths still valid, the layout. */
export interface LayerExportResult {
  readonly output: string;
  readonly sequenceLens: string | null;
  readonly timeMajor: boolean;
}

type LayerExporter = (layer: Layer, step: LayerExportStep) => LayerExportResult;

const timeAxisOf = (step: LayerExportStep): number => (step.timeMajor ? 0 : 1);

const exportRecurrent: LayerExporter = (layer, step) => {
  const recurrent = layer as RNN | Bidirectional;
  const sequenceTimeMajor = step.index < step.lastRecurrent;
  const output = recurrentNode(step.builder, recurrent, step.weights, {
    input: step.input,
    sequenceLens: step.sequenceLens,
    exposeState: step.exposeState,
    sequenceTimeMajor,
  });
  return { output, sequenceLens: recurrent.returnSequences ? step.sequenceLens : null, timeMajor: sequenceTimeMajor };
};

/** Dense, Activation and Dropout inside TimeDistributed: the per-step nodes broadcast over the batch and time axes, in either order, so no folding is needed. */
const TIME_DISTRIBUTED_EXPORTERS: Readonly<
  Record<string, (wrapper: TimeDistributed, step: LayerExportStep) => string>
> = {
  Dense: (wrapper, step) => {
    // The inner layer's weights sit under its own name: `<time_distributed>/dense/kernel`.
    const prefix = step.weights.innerPrefix()!;
    return denseNodes(
      step.builder,
      `${wrapper.name}/${prefix}`,
      wrapper.layer as Dense,
      step.weights.inner(prefix),
      step.input,
      step.inputShape.length,
    );
  },
  Activation: (wrapper, step) =>
    activationNode(step.builder, wrapper.name, (wrapper.layer as Activation).activation, step.input),
  Dropout: (_wrapper, step) => step.input,
};

/**
 * One exporter per Recur layer kind: the one place to add a layer ONNX export can write. Each
 * writes the layer's nodes and says what the next layer reads.
 */
const LAYER_EXPORTERS: Readonly<Record<string, LayerExporter>> = {
  Embedding: (layer, step) => {
    if (step.index !== 0)
      throw new OnnxUnsupportedError(
        `Layer '${layer.name}' (Embedding) must be the first layer to be exported (it reads the int32 token ids).`,
      );
    const { output, sequenceLens } = embeddingNodes(
      step.builder,
      layer as Embedding,
      step.weights,
      step.input,
      timeAxisOf(step),
    );
    return { output, sequenceLens, timeMajor: step.timeMajor };
  },
  Masking: (layer, step) => {
    const { output, sequenceLens } = maskingNodes(step.builder, layer as Masking, step.input, timeAxisOf(step));
    return { output, sequenceLens, timeMajor: step.timeMajor };
  },
  LSTM: exportRecurrent,
  GRU: exportRecurrent,
  SimpleRNN: exportRecurrent,
  RNN: exportRecurrent,
  Bidirectional: exportRecurrent,
  Dense: (layer, step) => ({
    output: denseNodes(step.builder, layer.name, layer as Dense, step.weights, step.input, step.inputShape.length),
    sequenceLens: step.inputShape.length === 3 ? step.sequenceLens : null,
    timeMajor: step.timeMajor,
  }),
  TimeDistributed: (layer, step) => {
    const wrapper = layer as TimeDistributed;
    const exportInner = Object.hasOwn(TIME_DISTRIBUTED_EXPORTERS, wrapper.layer.kind)
      ? TIME_DISTRIBUTED_EXPORTERS[wrapper.layer.kind]
      : undefined;
    if (exportInner === undefined) {
      throw new OnnxUnsupportedError(
        `Layer '${layer.name}' (TimeDistributed of ${wrapper.layer.kind}) cannot be exported to ONNX yet; TimeDistributed can wrap Dense, Activation or Dropout.`,
      );
    }
    return { output: exportInner(wrapper, step), sequenceLens: step.sequenceLens, timeMajor: step.timeMajor };
  },
  Activation: (layer, step) => ({
    output: activationNode(step.builder, layer.name, (layer as Activation).activation, step.input),
    sequenceLens: step.sequenceLens,
    timeMajor: step.timeMajor,
  }),
  // Dropout is the identity at inference: no node.
  Dropout: (_layer, step) => ({ output: step.input, sequenceLens: step.sequenceLens, timeMajor: step.timeMajor }),
};

const SUPPORTED_LAYERS =
  'Embedding, Masking, LSTM, GRU, SimpleRNN, Bidirectional, Dense, Activation, Dropout, TimeDistributed(Dense | Activation | Dropout)';

/** Whether the layer becomes an ONNX recurrent node (which reads and may write time-major values). */
export function isRecurrentExport(layer: Layer): boolean {
  return Object.hasOwn(LAYER_EXPORTERS, layer.kind) && LAYER_EXPORTERS[layer.kind] === exportRecurrent;
}

/** Writes one layer's nodes, or refuses a layer kind ONNX export does not know, naming it. */
export function exportLayer(layer: Layer, step: LayerExportStep): LayerExportResult {
  const exporter = Object.hasOwn(LAYER_EXPORTERS, layer.kind) ? LAYER_EXPORTERS[layer.kind] : undefined;
  if (exporter === undefined)
    throw new OnnxUnsupportedError(
      `Layer '${layer.name}' (${layer.kind}) cannot be exported to ONNX yet; supported: ${SUPPORTED_LAYERS}.`,
    );
  return exporter(layer, step);
}
