import { RandomGenerator, ShapeError, ValueError, ops, type Engine, type RNN, type Tensor } from '@recur/core';
import { isTensor, toHost, toTensor, type GraphValue } from '../graph-value.js';
import {
  describeRecurrentNode,
  initializerResolver,
  recurrentNodeOptions,
  type RecurrentDirection,
  type RecurrentNodeDescription,
} from '../recurrent-node-description.js';
import type { OnnxNode } from '../onnx-graph.js';
import { recurrentLayer } from '../recurrent-layer.js';
import { input, type OpCompiler } from './compiled-op.js';

/** A Recur layer (returning sequences) of the node's kind holding one direction's weights on `engine`. */
function directionLayer(
  node: OnnxNode,
  description: RecurrentNodeDescription,
  direction: RecurrentDirection,
  engine: Engine,
  index: number,
): RNN {
  const layer = recurrentLayer(description, direction, {
    returnSequences: true,
    name: `${node.name}/${index === 0 ? 'forward' : 'backward'}`,
  });
  layer.build(engine, [null, null, description.inputSize], new RandomGenerator(0));
  for (const variable of layer.weights) {
    const value = direction.weights.get(variable.name.slice(variable.name.lastIndexOf('/') + 1))!;
    // keep(): the weights must outlive any disposal scope the caller compiles the graph in.
    variable.assign(engine.keep(engine.tensor(value.data as Float32Array, value.shape)));
  }
  return layer;
}

/** `sequence_lens` `[N]` as Recur's mask `[N, T]`: 1 for the first `length` steps of each row. */
function lengthsMask(node: OnnxNode, lengths: GraphValue, batch: number, steps: number, engine: Engine): Tensor {
  if (isTensor(lengths)) throw new ValueError(`The ONNX graph's ${node.label}: sequence_lens must be integers.`);
  if (lengths.data.length !== batch)
    throw new ShapeError(
      `The ONNX graph's ${node.label}: sequence_lens has ${lengths.data.length} entries for a batch of ${batch}.`,
    );
  const mask = new Float32Array(batch * steps);
  lengths.data.forEach((length, n) => {
    if (!Number.isInteger(length) || length < 0 || length > steps) {
      throw new ValueError(`The ONNX graph's ${node.label}: sequence_lens[${n}] = ${length} is outside [0, ${steps}].`);
    }
    mask.fill(1, n * steps, n * steps + length);
  });
  return engine.tensor(mask, [batch, steps]);
}

/**
 * An ONNX LSTM, GRU or RNN node run by Recur's LSTM, GRU or SimpleRNN layers (one per
 * direction), so the recurrence uses the backend's fused kernel when it has one. Layout
 * conversion: Recur runs batch-first `[N, T, I]`; `sequence_lens` becomes the mask (padded
 * steps skipped, output 0, state carried), which is exactly ONNX's semantics for both
 * directions. A reverse direction runs as
 * a goBackwards layer, whose output (in processing order) is flipped back to time order.
 */
export const recurrentOp: OpCompiler = (node, graph, engine, owned) => {
  const options = recurrentNodeOptions(node);
  const resolver = initializerResolver(node, graph);
  const build = (description: RecurrentNodeDescription) =>
    description.directions.map((direction, index) => directionLayer(node, description, direction, engine, index));
  if (resolver !== null) {
    // Constant weights (the usual case): convert them and build the layers once.
    const description = describeRecurrentNode(node, options, resolver);
    const layers = build(description);
    for (const layer of layers) owned.own(() => layer.disposeWeights());
    return (inputs) => runRecurrent(node, description, layers, inputs, engine);
  }
  // Weights fed as graph inputs (as in the ONNX operator tests): convert them on every run.
  return (inputs) => {
    const description = describeRecurrentNode(node, options, (k) => {
      const value = inputs[k];
      return value === null || value === undefined ? null : toHost(value);
    });
    const layers = build(description);
    try {
      return runRecurrent(node, description, layers, inputs, engine);
    } finally {
      for (const layer of layers) layer.disposeWeights();
    }
  };
};

function runRecurrent(
  node: OnnxNode,
  description: RecurrentNodeDescription,
  layers: readonly RNN[],
  inputs: readonly (GraphValue | null)[],
  engine: Engine,
): Tensor[] {
  const { units, inputSize, layout } = description;
  const count = layers.length;
  const x = toTensor(input(node, inputs, 0), engine);
  if (x.rank !== 3 || x.shape[2] !== inputSize) {
    throw new ShapeError(
      `The ONNX graph's ${node.label}: X must be ${layout === 0 ? '[T, N, I]' : '[N, T, I]'} with I = ${inputSize}, got [${x.shape.join(', ')}].`,
    );
  }
  const batchFirst = layout === 0 ? ops.transpose(x, [1, 0, 2]) : x;
  const [batch, steps] = batchFirst.shape;
  const lengths = inputs[4];
  const mask = lengths === null || lengths === undefined ? null : lengthsMask(node, lengths, batch, steps, engine);
  // initial_h is input 5, initial_c (LSTM) input 6: per state, each direction's [N, H] slice or null.
  const initialStates = description.operator.states.map((name, k): Tensor[] | null => {
    const value = inputs[5 + k];
    if (value === null || value === undefined) return null;
    const tensor = toTensor(value, engine);
    const expected = layout === 0 ? [count, batch, units] : [batch, count, units];
    if (tensor.shape.join() !== expected.join()) {
      throw new ShapeError(
        `The ONNX graph's ${node.label}: input initial_${name} must be [${expected.join(', ')}], got [${tensor.shape.join(', ')}].`,
      );
    }
    return layers.map((_, d) =>
      ops.reshape(
        layout === 0
          ? ops.slice(tensor, [d, 0, 0], [1, batch, units])
          : ops.slice(tensor, [0, d, 0], [batch, 1, units]),
        [batch, units],
      ),
    );
  });
  const anyInitialState = initialStates.some((states) => states !== null);
  const results = layers.map((layer, d) => {
    const initialState = anyInitialState
      ? initialStates.map((states) => states?.[d] ?? engine.zeros([batch, units]))
      : undefined;
    const { output, states } = layer.run(batchFirst, { initialState, mask });
    return { sequence: layer.goBackwards ? ops.reverse(output, 1) : output, states };
  });
  const y =
    layout === 0
      ? ops.concat(
          results.map((result) => ops.reshape(ops.transpose(result.sequence, [1, 0, 2]), [steps, 1, batch, units])),
          1,
        )
      : ops.concat(
          results.map((result) => ops.reshape(result.sequence, [batch, steps, 1, units])),
          2,
        );
  const stack = (parts: Tensor[]) =>
    layout === 0
      ? ops.concat(
          parts.map((part) => ops.reshape(part, [1, batch, units])),
          0,
        )
      : ops.concat(
          parts.map((part) => ops.reshape(part, [batch, 1, units])),
          1,
        );
  // Outputs Y, Y_h (, Y_c).
  return [y, ...description.operator.states.map((_, k) => stack(results.map((result) => result.states[k])))];
}
