import {
  Activation,
  Bidirectional,
  Dense,
  Embedding,
  RecurError,
  Sequential,
  type Layer,
  type LayerActivation,
  type ModelSpec,
  type TensorData,
} from '@recur/core';
import type { HostTensor } from '../proto/host-tensor.js';
import { isRecurrentOpType } from '../recurrent-operators.js';
import {
  LayoutRefusal,
  chainValue,
  formatAxes,
  gatherIndex,
  recurAxes,
  reshapeValue,
  sliceLastStep,
  squeezeValue,
  transposeValue,
  type ChainAxis,
  type ChainValue,
} from './chain-value.js';
import { readFloat, readInt, readInts } from './node-attributes.js';
import type { GraphValueInfo, OnnxGraph, OnnxNode } from './onnx-graph.js';
import { constantNodeValue } from './ops/structure-ops.js';
import { recurrentLayer } from './recurrent-layer.js';
import {
  describeRecurrentNode,
  initializerResolver,
  recurrentNodeOptions,
  type RecurrentNodeDescription,
} from './recurrent-node-description.js';
import { sequentialWeights, type WeightGroup } from './sequential-weights.js';

/** A graph recognised as a Sequential chain: the model spec, its weights, and how its layout differs from the graph's. */
export interface SequentialChain {
  readonly spec: ModelSpec;
  readonly weights: Map<string, TensorData>;
  /** Empty when the Sequential takes and returns exactly the graph's tensors; else one sentence per difference. */
  readonly layoutNotes: string[];
  /** Whether the graph reads its input time-major, so callers must transpose data for the Sequential. */
  readonly inputTransposed: boolean;
}

type ChainLayer =
  | { readonly type: 'embedding'; readonly source: string; readonly table: HostTensor }
  | {
      readonly type: 'recurrent';
      readonly source: string;
      readonly description: RecurrentNodeDescription;
      returnSequences: boolean;
    }
  | {
      readonly type: 'dense';
      readonly source: string;
      readonly kernel: HostTensor;
      bias: HostTensor | null;
      activation: LayerActivation;
    }
  | { readonly type: 'activation'; readonly source: string; readonly activation: LayerActivation };

/** Why the graph is not a chain (internal: turned into `notSequentialReason`). */
class NotAChain extends Error {}

const ELEMENTWISE_ACTIVATIONS: Readonly<Record<string, LayerActivation>> = {
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  Relu: 'relu',
  Softsign: 'softsign',
};
const PASS_THROUGH = new Set(['Identity', 'Dropout']);
/** Plumbing whose output is all zeros when its first input is (initial states built from a zero constant). */
const ZERO_PRESERVING = new Set([
  'Identity',
  'Cast',
  'Expand',
  'Reshape',
  'Squeeze',
  'Unsqueeze',
  'Slice',
  'Tile',
  'Transpose',
]);

/**
 * Recognises a graph made elsewhere (PyTorch's `torch.onnx.export`, a single ONNX recurrent
 * node) as a chain of Recur layers, following the one data value from the graph input to the
 * graph output: Gather on a constant table (Embedding), LSTM / GRU / RNN nodes (zero or absent
 * initial states, no sequence_lens), MatMul (+ Add) or Gemm on constants (Dense), activations,
 * and the exporters' plumbing between them: Transpose, Squeeze, Reshape merging directions,
 * the last time step picked by Gather or Slice (a layer with `returnSequences: false`), shape
 * arithmetic off the chain. Y_h as the output is `returnSequences: false` too. Returns the
 * spec and Keras-layout weights, or the reason the graph is not a chain.
 */
export function sequentialChain(graph: OnnxGraph): SequentialChain | { readonly reason: string } {
  try {
    if (graph.inputs.length !== 1)
      throw new NotAChain(
        `the graph has ${graph.inputs.length} inputs (${describeInputs(graph)}); a Sequential model takes one`,
      );
    if (graph.outputs.length !== 1) {
      throw new NotAChain(
        `the graph has ${graph.outputs.length} outputs (${graph.outputs.map((output) => `'${output.name}'`).join(', ')}); a Sequential model returns one`,
      );
    }
    const input = graph.inputs[0];
    const orders = inputAxisOrders(input);
    let firstRefusal: Error | null = null;
    // A graph input's first two axes are batch and time, or time and batch when the graph feeds it straight to a time-major node.
    for (const axes of orders) {
      try {
        return buildChain(graph, input, axes);
      } catch (error) {
        if (!(error instanceof NotAChain)) throw error;
        firstRefusal ??= error;
      }
    }
    throw firstRefusal!;
  } catch (error) {
    // Recur's own errors (a weight that does not fit the rebuilt layer, an attribute it refuses) are reasons too; anything else is a bug.
    if (error instanceof NotAChain || error instanceof RecurError) return { reason: error.message };
    throw error;
  }
}

function inputAxisOrders(input: GraphValueInfo): ChainAxis[][] {
  const rank = input.shape?.length ?? null;
  const isIds = input.dtype === 'int32' || input.dtype === 'int64';
  if (isIds && rank === 2)
    return [
      ['batch', 'time'],
      ['time', 'batch'],
    ];
  if (input.dtype === 'float32' && rank === 3)
    return [
      ['batch', 'time', 'features'],
      ['time', 'batch', 'features'],
    ];
  if (input.dtype === 'float32' && rank === 2) return [['batch', 'features']];
  throw new NotAChain(
    `the graph input '${input.name}' is ${input.dtype} of ${rank === null ? 'unknown rank' : `rank ${rank}`}; a Sequential takes token ids [batch, time] or floats [batch, features] / [batch, time, features]`,
  );
}

/** Names the extra inputs by what they feed (initial states, run-time weights), so the reason says what a chain would lack. */
function describeInputs(graph: OnnxGraph): string {
  const roles = ['X', 'W', 'R', 'B', 'sequence_lens', 'initial_h', 'initial_c', 'P'];
  return graph.inputs
    .map((input) => {
      // Follow the value through plumbing (Slice of a stacked state) to the recurrent node reading it.
      const reached = new Set([input.name]);
      for (const node of graph.nodes) {
        const slot = node.inputs.findIndex((name) => reached.has(name));
        if (slot < 0) continue;
        if (isRecurrentOpType(node.opType)) return `'${input.name}': ${roles[slot]} of ${node.label}`;
        for (const output of node.outputs) reached.add(output);
      }
      return `'${input.name}'`;
    })
    .join(', ');
}

interface Walk {
  readonly graph: OnnxGraph;
  readonly constants: Map<string, HostTensor>;
  readonly zeros: Set<string>;
  readonly values: Map<string, ChainValue>;
  readonly layers: ChainLayer[];
}

function buildChain(graph: OnnxGraph, input: GraphValueInfo, inputAxes: ChainAxis[]): SequentialChain {
  const walk: Walk = {
    graph,
    constants: new Map(graph.initializers),
    zeros: new Set(),
    values: new Map([[input.name, chainValue(inputAxes)]]),
    layers: [],
  };
  for (const [name, tensor] of graph.initializers) if (tensor.data.every((value) => value === 0)) walk.zeros.add(name);
  // The values the chain may continue from: the outputs of its latest node.
  let heads = new Set([input.name]);
  for (const node of graph.nodes) {
    const onChain = node.inputs.filter((name) => walk.values.has(name));
    if (onChain.length === 0 || node.opType === 'Shape') {
      followPlumbing(walk, node);
      continue;
    }
    if (onChain.length > 1)
      throw new NotAChain(
        `${node.label} combines ${onChain.map((name) => `'${name}'`).join(' and ')}; a Sequential model is a single chain of layers`,
      );
    const name = onChain[0];
    if (!heads.has(name))
      throw new NotAChain(
        `'${name}' feeds ${node.label} after the chain went on through another node; a Sequential model does not branch`,
      );
    const value = use(walk, name, node.label);
    const outputs = followLayer(walk, node, node.inputs.indexOf(name), value);
    outputs.forEach((output, k) => {
      if (output !== null && node.outputs[k]) walk.values.set(node.outputs[k], output);
    });
    heads = new Set(node.outputs.filter((output, k) => output !== '' && outputs[k] !== null));
  }
  const output = graph.outputs[0];
  if (!heads.has(output.name))
    throw new NotAChain(
      `the graph output '${output.name}' is not the end of the chain that starts at input '${input.name}'`,
    );
  const last = use(walk, output.name, `the graph output '${output.name}'`);
  if (walk.layers.length === 0)
    throw new NotAChain(
      'the graph has no layer Recur recognises (Gather on a table, LSTM, GRU, RNN, MatMul, Gemm, activations)',
    );
  return assemble(walk, input, inputAxes, output, last);
}

/** Reads a chain value for a node, refusing values Recur cannot continue from, and fixes `returnSequences` for recurrent outputs. */
function use(walk: Walk, name: string, user: string): ChainValue {
  const value = walk.values.get(name)!;
  if (value.unusable !== null) throw new NotAChain(`${user} reads '${name}': ${value.unusable}`);
  if (value.recurrentOutput !== null) {
    const layer = walk.layers[value.recurrentOutput.layer] as Extract<ChainLayer, { type: 'recurrent' }>;
    layer.returnSequences = value.recurrentOutput.returnSequences;
    if (
      layer.returnSequences &&
      layer.description.directions.length === 1 &&
      layer.description.directions[0].goBackwards
    ) {
      throw new NotAChain(
        `${user} reads Y of ${layer.source} (direction reverse), which ONNX gives in time order; Recur's goBackwards layers return the processed (reversed) order`,
      );
    }
  }
  // Values computed from this one are no longer the node's own output.
  return { ...value, recurrentOutput: null };
}

/** Nodes off the chain: remember constants (axes, indices, shapes) and which values are all zeros (initial states). */
function followPlumbing(walk: Walk, node: OnnxNode): void {
  const output = node.outputs[0];
  if (output === undefined || output === '') return;
  if (node.opType === 'Constant') {
    const value = constantNodeValue(node);
    walk.constants.set(output, value);
    if (value.data.every((item) => item === 0)) walk.zeros.add(output);
  } else if (node.opType === 'ConstantOfShape') {
    const value = node.attributes.get('value') as HostTensor | undefined;
    if (value === undefined || value.data.every((item) => item === 0)) walk.zeros.add(output);
  } else if (ZERO_PRESERVING.has(node.opType) && walk.zeros.has(node.inputs[0])) {
    walk.zeros.add(output);
  } else if (node.opType === 'Concat' && node.inputs.every((name) => walk.zeros.has(name))) {
    walk.zeros.add(output);
  }
}

function constantInput(walk: Walk, node: OnnxNode, k: number, what: string): HostTensor {
  const value = walk.constants.get(node.inputs[k] ?? '');
  if (value === undefined) throw new NotAChain(`${node.label}: its ${what} is computed at run time, not a constant`);
  return value;
}

/** One node reading the chain value at input `slot`: its outputs' chain values (null where unused by Recur). */
function followLayer(walk: Walk, node: OnnxNode, slot: number, value: ChainValue): (ChainValue | null)[] {
  try {
    return [...layerOutputs(walk, node, slot, value)];
  } catch (error) {
    if (error instanceof LayoutRefusal) throw new NotAChain(`${node.label}: ${error.message}`);
    throw error;
  }
}

function layerOutputs(walk: Walk, node: OnnxNode, slot: number, value: ChainValue): (ChainValue | null)[] {
  const { layers } = walk;
  const requireSlot = (expected: number, role: string) => {
    if (slot !== expected) throw new NotAChain(`${node.label} reads the chain as its input ${slot}, not as ${role}`);
  };
  if (isRecurrentOpType(node.opType)) {
    requireSlot(0, 'X');
    return recurrentOutputs(walk, node, value);
  }
  const activation =
    node.opType === 'Softmax'
      ? softmaxActivation(node, value, walk.graph.opset)
      : node.opType === 'HardSigmoid'
        ? hardSigmoidActivation(node)
        : ELEMENTWISE_ACTIVATIONS[node.opType];
  if (activation !== undefined) {
    const dense =
      value.denseOutputOf === null ? null : (layers[value.denseOutputOf] as Extract<ChainLayer, { type: 'dense' }>);
    if (dense !== null && dense.activation === 'linear') dense.activation = activation;
    else layers.push({ type: 'activation', source: node.label, activation });
    return [{ ...value, denseOutputOf: null, sequenceOf: null }];
  }
  switch (node.opType) {
    case 'Gather': {
      const axis = readInt(node, 'axis', 0);
      if (slot === 1) {
        // Gather(table, ids): an Embedding, reading the token ids.
        const table = constantInput(walk, node, 0, 'table');
        if (axis !== 0 || table.shape.length !== 2 || value.axes.includes('features')) {
          throw new NotAChain(
            `${node.label} gathers from a constant, but not rows of a [vocabulary, size] table by token ids`,
          );
        }
        layers.push({ type: 'embedding', source: node.label, table });
        return [chainValue([...value.axes, 'features'])];
      }
      const index = constantInput(walk, node, 1, 'index');
      if (index.shape.length !== 0)
        throw new NotAChain(
          `${node.label} gathers [${index.shape.join(', ')}] indices; only a single index (a scalar) selects a step or direction`,
        );
      const resolved = axis < 0 ? axis + value.axes.length : axis;
      if (value.axes[resolved] === 'time') markLastStep(walk, node, value);
      return [{ ...gatherIndex(value, resolved, index.data[0]), sequenceOf: null }];
    }
    case 'Slice': {
      requireSlot(0, 'data');
      const read = (k: number, attribute: string) =>
        node.inputs[k] ? Array.from(constantInput(walk, node, k, attribute).data) : readInts(node, attribute);
      const starts = read(1, 'starts') ?? [];
      const ends = read(2, 'ends') ?? [];
      const axes = read(3, 'axes') ?? starts.map((_, k) => k);
      const steps = read(4, 'steps') ?? starts.map(() => 1);
      if (starts.length !== 1)
        throw new NotAChain(
          `${node.label} slices ${starts.length} axes; only a Slice keeping the last time step is recognised`,
        );
      const axis = axes[0] < 0 ? axes[0] + value.axes.length : axes[0];
      const sliced = sliceLastStep(value, axis, starts[0], ends[0], steps[0]);
      markLastStep(walk, node, value);
      return [{ ...sliced, sequenceOf: null }];
    }
    case 'Transpose':
      requireSlot(0, 'data');
      return [transposeValue(value, readInts(node, 'perm'))];
    case 'Squeeze':
      requireSlot(0, 'data');
      return [
        squeezeValue(
          value,
          node.inputs[1] ? Array.from(constantInput(walk, node, 1, 'axes').data) : readInts(node, 'axes'),
        ),
      ];
    case 'Reshape':
      requireSlot(0, 'data');
      return [reshapeValue(value, Array.from(constantInput(walk, node, 1, 'shape').data))];
    case 'MatMul': {
      requireSlot(0, 'A');
      const kernel = constantInput(walk, node, 1, 'B (the weights)');
      if (kernel.shape.length !== 2)
        throw new NotAChain(
          `${node.label} multiplies by a [${kernel.shape.join(', ')}] constant; a Dense kernel is [inputs, units]`,
        );
      return [denseOutput(walk, node, value, kernel, null)];
    }
    case 'Gemm': {
      requireSlot(0, 'A');
      if (readInt(node, 'transA', 0) !== 0 || readFloat(node, 'alpha', 1) !== 1 || readFloat(node, 'beta', 1) !== 1) {
        throw new NotAChain(`${node.label} uses transA, alpha or beta; a Dense layer computes x W + b`);
      }
      const b = constantInput(walk, node, 1, 'B (the weights)');
      const kernel = readInt(node, 'transB', 0) === 1 ? transpose2d(b) : b;
      const bias = node.inputs[2]
        ? biasVector(node, constantInput(walk, node, 2, 'C (the bias)'), kernel.shape[1])
        : null;
      return [denseOutput(walk, node, value, kernel, bias)];
    }
    case 'Add': {
      const dense =
        value.denseOutputOf === null ? null : (layers[value.denseOutputOf] as Extract<ChainLayer, { type: 'dense' }>);
      if (dense === null || dense.bias !== null)
        throw new NotAChain(
          `${node.label} adds to a value that is not the output of a MatMul; only a Dense bias is recognised`,
        );
      dense.bias = biasVector(node, constantInput(walk, node, 1 - slot, 'addend'), dense.kernel.shape[1]);
      return [value];
    }
    default:
      if (PASS_THROUGH.has(node.opType)) return [value];
      throw new NotAChain(
        `${node.label} is not a layer of a Recur Sequential model, nor exporter plumbing Recur recognises`,
      );
  }
}

/** Picking the last time step is what `returnSequences: false` returns only for a forward, unidirectional layer's own output sequence. */
function markLastStep(walk: Walk, node: OnnxNode, value: ChainValue): void {
  const layer = value.sequenceOf === null ? null : walk.layers[value.sequenceOf];
  if (layer?.type !== 'recurrent') {
    throw new NotAChain(
      `${node.label} picks the last time step of ${formatAxes(value)}, which is not a recurrent layer's output sequence`,
    );
  }
  if (layer.description.directions.length !== 1 || layer.description.directions[0].goBackwards) {
    throw new NotAChain(
      `${node.label} picks the last time step of ${layer.source}'s output, which for a reverse direction is not its final state (what returnSequences: false returns)`,
    );
  }
  layer.returnSequences = false;
}

function recurrentOutputs(walk: Walk, node: OnnxNode, value: ChainValue): (ChainValue | null)[] {
  const options = recurrentNodeOptions(node);
  const resolver = initializerResolver(node, walk.graph);
  if (resolver === null)
    throw new NotAChain(`${node.label} takes its weights as graph inputs; a Sequential model needs them as constants`);
  if (node.inputs[4])
    throw new NotAChain(
      `${node.label} reads sequence_lens computed in the graph; a Sequential model masks with Embedding(maskZero) or Masking`,
    );
  for (const [k, state] of [
    [5, 'initial_h'],
    [6, 'initial_c'],
  ] as const) {
    const name = node.inputs[k];
    if (name && !walk.zeros.has(name))
      throw new NotAChain(
        `${node.label} starts from ${state} '${name}', which is not all zeros; a Sequential model's layers start from zero states`,
      );
  }
  const description = describeRecurrentNode(node, options, resolver);
  const expected: ChainAxis[] =
    description.layout === 0 ? ['time', 'batch', 'features'] : ['batch', 'time', 'features'];
  if (value.axes.join() !== expected.join())
    throw new NotAChain(
      `${node.label} (layout ${description.layout}) reads X as [${expected.join(', ')}], but the chain value is ${formatAxes(value)}`,
    );
  const [forward, backward] = description.directions;
  if (
    backward !== undefined &&
    (forward.activation !== backward.activation || forward.recurrentActivation !== backward.recurrentActivation)
  ) {
    throw new NotAChain(
      `${node.label}'s two directions use different activations; a Bidirectional layer wraps one layer configuration`,
    );
  }
  const index = walk.layers.length;
  walk.layers.push({ type: 'recurrent', source: node.label, description, returnSequences: true });
  const split = { directions: description.directions.length, units: description.units };
  const sequence: ChainAxis[] =
    description.layout === 0 ? ['time', 'directions', 'batch', 'units'] : ['batch', 'time', 'directions', 'units'];
  const state: ChainAxis[] =
    description.layout === 0 ? ['directions', 'batch', 'units'] : ['batch', 'directions', 'units'];
  return [
    chainValue(sequence, { ...split, sequenceOf: index, recurrentOutput: { layer: index, returnSequences: true } }),
    chainValue(state, { ...split, recurrentOutput: { layer: index, returnSequences: false } }),
    ...(description.operator.opType === 'LSTM'
      ? [
          chainValue(state, {
            ...split,
            unusable: "it is the LSTM cell state Y_c, which Recur's LSTM layer does not return",
          }),
        ]
      : []),
  ];
}

function denseOutput(
  walk: Walk,
  node: OnnxNode,
  value: ChainValue,
  kernel: HostTensor,
  bias: HostTensor | null,
): ChainValue {
  if (value.axes[value.axes.length - 1] !== 'features')
    throw new NotAChain(
      `${node.label} multiplies the ${value.axes[value.axes.length - 1]} axis of ${formatAxes(value)}; a Dense layer reads the features`,
    );
  if (node.opType === 'Gemm' && value.axes.length !== 2)
    throw new NotAChain(`${node.label} is a Gemm on ${formatAxes(value)}`);
  walk.layers.push({ type: 'dense', source: node.label, kernel, bias, activation: 'linear' });
  return { ...value, denseOutputOf: walk.layers.length - 1, sequenceOf: null, recurrentOutput: null };
}

function transpose2d(matrix: HostTensor): HostTensor {
  const [rows, columns] = matrix.shape;
  const data = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) data[c * rows + r] = matrix.data[r * columns + c];
  return { dtype: 'float32', shape: [columns, rows], data };
}

/** A `[units]` bias from a constant of that many values (leading axes of size 1 allowed). */
function biasVector(node: OnnxNode, constant: HostTensor, units: number): HostTensor {
  if (constant.data.length !== units || constant.shape[constant.shape.length - 1] !== units) {
    throw new NotAChain(
      `${node.label} adds a [${constant.shape.join(', ')}] constant; a Dense bias has one value per unit (${units})`,
    );
  }
  return { dtype: 'float32', shape: [units], data: Float32Array.from(constant.data) };
}

function softmaxActivation(node: OnnxNode, value: ChainValue, opset: number): LayerActivation {
  const rank = value.axes.length;
  const axis = readInt(node, 'axis', opset >= 13 ? -1 : 1);
  if ((axis < 0 ? axis + rank : axis) !== rank - 1 || value.axes[rank - 1] !== 'features') {
    throw new NotAChain(
      `${node.label} is a softmax over axis ${axis} of ${formatAxes(value)}; Recur's softmax runs over the features (the last axis)`,
    );
  }
  return 'softmax';
}

function hardSigmoidActivation(node: OnnxNode): LayerActivation {
  const alpha = readFloat(node, 'alpha', 0.2);
  const beta = readFloat(node, 'beta', 0.5);
  if (Math.abs(alpha - 1 / 6) > 1e-7 || beta !== 0.5)
    throw new NotAChain(
      `${node.label} is a hard sigmoid with alpha ${alpha}, beta ${beta}; Recur's hard_sigmoid is x / 6 + 0.5`,
    );
  return 'hard_sigmoid';
}

/** The Recur layers, the spec, the weights (named and checked by the spec) and the layout notes. */
function assemble(
  walk: Walk,
  input: GraphValueInfo,
  inputAxes: readonly ChainAxis[],
  output: GraphValueInfo,
  last: ChainValue,
): SequentialChain {
  const layers = walk.layers.map(toLayer);
  const first = walk.layers[0];
  const features =
    first.type === 'recurrent' ? first.description.inputSize : first.type === 'dense' ? first.kernel.shape[0] : null;
  const declared = input.shape?.[input.shape.length - 1];
  const inputShape =
    inputAxes.length === 2 && first.type === 'embedding'
      ? [null]
      : inputAxes.length === 2
        ? [features ?? declared]
        : [null, features ?? declared];
  if (inputShape.some((dimension) => dimension !== null && typeof dimension !== 'number')) {
    throw new NotAChain(
      `the size of the features of input '${input.name}' is not known (the graph declares '${String(declared)}')`,
    );
  }
  const model = new Sequential(layers, { name: 'imported', inputShape: inputShape as (number | null)[] });
  const spec = model.spec();
  const groups = walk.layers.map(weightGroup).filter((group): group is WeightGroup => group !== null);
  const layoutNotes: string[] = [];
  const inputTransposed = inputAxes[0] !== 'batch';
  if (inputTransposed) {
    layoutNotes.push(
      `The graph reads input '${input.name}' as [${inputAxes.join(', ')}]; the Sequential takes it batch first, [${recurAxes(inputAxes).join(', ')}] (transpose the first two axes).`,
    );
  }
  const outputAxes = recurAxes(last.axes);
  if (last.axes.join() !== outputAxes.join()) {
    layoutNotes.push(
      `The graph returns '${output.name}' as ${formatAxes(last)}; the Sequential returns the same values as [${outputAxes.join(', ')}].`,
    );
  }
  return { spec, weights: sequentialWeights(spec, groups), layoutNotes, inputTransposed };
}

function toLayer(layer: ChainLayer): Layer {
  switch (layer.type) {
    case 'embedding':
      return new Embedding({ inputDim: layer.table.shape[0], outputDim: layer.table.shape[1] });
    case 'dense':
      return new Dense({ units: layer.kernel.shape[1], activation: layer.activation, useBias: layer.bias !== null });
    case 'activation':
      return new Activation({ activation: layer.activation });
    case 'recurrent': {
      // A bidirectional node's first direction is the forward one: Bidirectional makes the backward half.
      const [forward, backward] = layer.description.directions;
      const inner = recurrentLayer(layer.description, forward, { returnSequences: layer.returnSequences });
      return backward === undefined ? inner : new Bidirectional({ layer: inner, mergeMode: 'concat' });
    }
  }
}

function weightGroup(layer: ChainLayer): WeightGroup | null {
  switch (layer.type) {
    case 'embedding':
      return { source: layer.source, directions: [new Map([['embeddings', layer.table]])] };
    case 'dense':
      return {
        source: layer.source,
        directions: [
          new Map(
            layer.bias === null
              ? [['kernel', layer.kernel]]
              : [
                  ['kernel', layer.kernel],
                  ['bias', layer.bias],
                ],
          ),
        ],
      };
    case 'recurrent':
      return { source: layer.source, directions: layer.description.directions.map((direction) => direction.weights) };
    case 'activation':
      return null;
  }
}
