import { ShapeError, ValueError, ops, type Engine, type Tensor } from '@recur/core';
import { OnnxUnsupportedError } from '../../onnx-errors.js';
import { checkedSize, type HostTensor } from '../../proto/host-tensor.js';
import { filledHost, isTensor, shapeOf, toIndexTensor, toTensor, type GraphValue } from '../graph-value.js';
import { hostBroadcast, hostConcat, hostGather, hostStridedSlice, hostTranspose, resolveAxis } from '../host-ops.js';
import { readInt, readInts, readTensor } from '../node-attributes.js';
import type { OnnxNode } from '../onnx-graph.js';
import { hostIntegers, input, int64Tensor, type OpCompiler } from './compiled-op.js';

/**
 * The layout plumbing exporters put around recurrent nodes. Each op works on backend tensors
 * through core ops and on host tensors (shape arithmetic) directly.
 */

const reshapeValue = (value: GraphValue, shape: readonly number[]): GraphValue =>
  isTensor(value) ? ops.reshape(value, shape) : { ...value, shape: [...shape], data: value.data };

/** The value of a Constant node, from whichever of its value attributes it carries. */
export function constantNodeValue(node: OnnxNode): HostTensor {
  const tensor = readTensor(node, 'value');
  if (tensor !== null) return tensor;
  const floats = node.attributes.get('value_float') ?? node.attributes.get('value_floats');
  if (floats !== undefined) {
    const values = typeof floats === 'number' ? [floats] : (floats as number[]);
    return {
      dtype: 'float32',
      shape: typeof floats === 'number' ? [] : [values.length],
      data: Float32Array.from(values),
    };
  }
  const ints = node.attributes.get('value_int') ?? node.attributes.get('value_ints');
  if (ints !== undefined) return typeof ints === 'number' ? int64Tensor([ints], []) : int64Tensor(ints as number[]);
  throw new OnnxUnsupportedError(
    `The ONNX graph's ${node.label} has no 'value', 'value_float(s)' or 'value_int(s)' attribute Recur can read.`,
  );
}

/** Squeeze / Unsqueeze take axes as an input from opset 13 and as an attribute before. */
function axesOf(node: OnnxNode, inputs: readonly (GraphValue | null)[]): number[] | null {
  const fromInput = inputs[1];
  if (fromInput !== null && fromInput !== undefined) return hostIntegers(node, fromInput, 'axes');
  return readInts(node, 'axes');
}

function gather(node: OnnxNode, data: GraphValue, indicesValue: GraphValue, engine: Engine): GraphValue {
  if (isTensor(indicesValue))
    throw new ValueError(`The ONNX graph's ${node.label}: indices must be integers, got float data.`);
  const shape = shapeOf(data);
  const axis = resolveAxis(readInt(node, 'axis', 0), shape.length, node.label);
  const size = shape[axis];
  const normalized = indicesValue.data.map((index) => {
    if (index < -size || index >= size)
      throw new ValueError(
        `The ONNX graph's ${node.label}: index ${index} is outside [${-size}, ${size - 1}] on axis ${axis}.`,
      );
    return index < 0 ? index + size : index;
  });
  const indices: HostTensor = { dtype: indicesValue.dtype, shape: indicesValue.shape, data: normalized };
  if (!isTensor(data)) return hostGather(data, indices, axis);
  // On the backend: move `axis` first, gather rows of the [size, rest] table, move axes back.
  const rest = shape.filter((_, k) => k !== axis);
  const front = axis === 0 ? data : ops.transpose(data, [axis, ...shape.map((_, k) => k).filter((k) => k !== axis)]);
  const table = ops.reshape(front, [size, rest.reduce((product, dimension) => product * dimension, 1)]);
  const gathered = ops.reshape(ops.gather(table, toIndexTensor(indices, engine, node.label), node.label), [
    ...indices.shape,
    ...rest,
  ]);
  if (axis === 0) return gathered;
  const indexAxes = indices.shape.map((_, k) => k);
  const restAxes = rest.map((_, k) => indices.shape.length + k);
  return ops.transpose(gathered, [...restAxes.slice(0, axis), ...indexAxes, ...restAxes.slice(axis)]);
}

function slice(node: OnnxNode, inputs: readonly (GraphValue | null)[]): GraphValue {
  const data = input(node, inputs, 0);
  const shape = shapeOf(data);
  const starts = hostIntegers(node, input(node, inputs, 1), 'starts');
  const ends = hostIntegers(node, input(node, inputs, 2), 'ends');
  const axes = inputs[3] ? hostIntegers(node, inputs[3], 'axes') : starts.map((_, k) => k);
  const steps = inputs[4] ? hostIntegers(node, inputs[4], 'steps') : starts.map(() => 1);
  const begin = shape.map(() => 0);
  const size = [...shape];
  const step = shape.map(() => 1);
  axes.forEach((rawAxis, k) => {
    const axis = resolveAxis(rawAxis, shape.length, node.label);
    const dimension = shape[axis];
    const stride = steps[k];
    if (stride === 0) throw new ValueError(`The ONNX graph's ${node.label}: a Slice step cannot be 0.`);
    // ONNX Slice: negative positions count from the end, then clamp ([0, d] forward, [-1, d-1] backward).
    const clampPosition = (position: number, low: number, high: number) =>
      Math.min(Math.max(position < 0 ? position + dimension : position, low), high);
    const start = stride > 0 ? clampPosition(starts[k], 0, dimension) : clampPosition(starts[k], -1, dimension - 1);
    const end = stride > 0 ? clampPosition(ends[k], 0, dimension) : clampPosition(ends[k], -1, dimension - 1);
    begin[axis] = start;
    size[axis] = Math.max(0, Math.ceil((end - start) / stride));
    step[axis] = stride;
  });
  if (!isTensor(data)) return hostStridedSlice(data, begin, size, step);
  let result: Tensor = data;
  for (let axis = 0; axis < shape.length; axis++) {
    if (step[axis] === 1 || size[axis] === 0) continue;
    if (step[axis] !== -1)
      throw new OnnxUnsupportedError(
        `The ONNX graph's ${node.label}: Slice steps other than 1 and -1 are not supported on float data (got ${step[axis]}).`,
      );
    // Reverse the axis, then take the block from the mirrored start.
    result = ops.reverse(result, axis);
    begin[axis] = shape[axis] - 1 - begin[axis];
  }
  return ops.slice(result, begin, size);
}

function reshape(node: OnnxNode, data: GraphValue, requested: number[]): GraphValue {
  const shape = shapeOf(data);
  const allowZero = readInt(node, 'allowzero', 0) === 1;
  const target = requested.map((dimension, axis) => (dimension === 0 && !allowZero ? shape[axis] : dimension));
  const known = target.reduce((product, dimension) => (dimension === -1 ? product : product * dimension), 1);
  const total = shape.reduce((product, dimension) => product * dimension, 1);
  const resolved = target.map((dimension) => (dimension === -1 ? total / known : dimension));
  if (
    resolved.reduce((product, dimension) => product * dimension, 1) !== total ||
    resolved.some((dimension) => !Number.isInteger(dimension) || dimension < 0)
  ) {
    throw new ShapeError(
      `The ONNX graph's ${node.label}: cannot reshape [${shape.join(', ')}] to [${requested.join(', ')}].`,
    );
  }
  return reshapeValue(data, resolved);
}

function concat(node: OnnxNode, parts: readonly GraphValue[], engine: Engine): GraphValue {
  const axis = resolveAxis(readInt(node, 'axis', 0), shapeOf(parts[0]).length, node.label);
  if (parts.every((part) => !isTensor(part))) return hostConcat(parts as HostTensor[], axis);
  return ops.concat(
    parts.map((part) => toTensor(part, engine)),
    axis,
  );
}

function expand(node: OnnxNode, data: GraphValue, requested: number[], engine: Engine): GraphValue {
  const shape = shapeOf(data);
  const rank = Math.max(shape.length, requested.length);
  const padded = (dims: readonly number[]) => [...new Array<number>(rank - dims.length).fill(1), ...dims];
  const [a, b] = [padded(shape), padded(requested)];
  const target = a.map((dimension, axis) => {
    if (dimension !== b[axis] && dimension !== 1 && b[axis] !== 1)
      throw new ShapeError(
        `The ONNX graph's ${node.label}: cannot expand [${shape.join(', ')}] to [${requested.join(', ')}].`,
      );
    return Math.max(dimension, b[axis]);
  });
  checkedSize(target, node.label);
  if (!isTensor(data)) return hostBroadcast(data, target);
  return ops.add(data, engine.zeros(target));
}

export const structureOps: Record<string, OpCompiler> = {
  Constant: (node) => {
    const value = constantNodeValue(node);
    return () => [value];
  },
  Identity: (node) => (inputs) => [input(node, inputs, 0)],
  Shape: (node) => (inputs) => {
    const shape = shapeOf(input(node, inputs, 0));
    const start = readInt(node, 'start', 0);
    const end = readInt(node, 'end', shape.length);
    const resolve = (position: number) =>
      Math.min(Math.max(position < 0 ? position + shape.length : position, 0), shape.length);
    return [int64Tensor(shape.slice(resolve(start), resolve(end)))];
  },
  Gather: (node, _graph, engine) => (inputs) => [gather(node, input(node, inputs, 0), input(node, inputs, 1), engine)],
  Unsqueeze: (node) => (inputs) => {
    const data = input(node, inputs, 0);
    const axes = axesOf(node, inputs) ?? [];
    const rank = shapeOf(data).length + axes.length;
    const inserted = new Set(axes.map((axis) => resolveAxis(axis, rank, node.label)));
    const rest = [...shapeOf(data)];
    return [
      reshapeValue(
        data,
        Array.from({ length: rank }, (_, axis) => (inserted.has(axis) ? 1 : rest.shift()!)),
      ),
    ];
  },
  Squeeze: (node) => (inputs) => {
    const data = input(node, inputs, 0);
    const shape = shapeOf(data);
    const axes = axesOf(node, inputs);
    const removed = new Set(
      axes === null
        ? shape.flatMap((dimension, axis) => (dimension === 1 ? [axis] : []))
        : axes.map((axis) => resolveAxis(axis, shape.length, node.label)),
    );
    for (const axis of removed) {
      if (shape[axis] !== 1)
        throw new ShapeError(`The ONNX graph's ${node.label}: cannot squeeze axis ${axis} of size ${shape[axis]}.`);
    }
    return [
      reshapeValue(
        data,
        shape.filter((_, axis) => !removed.has(axis)),
      ),
    ];
  },
  Reshape: (node) => (inputs) => [
    reshape(node, input(node, inputs, 0), hostIntegers(node, input(node, inputs, 1), 'shape')),
  ],
  Transpose: (node) => (inputs) => {
    const data = input(node, inputs, 0);
    const rank = shapeOf(data).length;
    const perm = readInts(node, 'perm') ?? Array.from({ length: rank }, (_, axis) => rank - 1 - axis);
    return [isTensor(data) ? ops.transpose(data, perm) : hostTranspose(data, perm)];
  },
  Slice: (node) => (inputs) => [slice(node, inputs)],
  Concat: (node, _graph, engine) => (inputs) => [
    concat(
      node,
      inputs.filter((part): part is GraphValue => part !== null),
      engine,
    ),
  ],
  Expand: (node, _graph, engine) => (inputs) => [
    expand(node, input(node, inputs, 0), hostIntegers(node, input(node, inputs, 1), 'shape'), engine),
  ],
  ConstantOfShape: (node) => {
    const value = readTensor(node, 'value') ?? { dtype: 'float32' as const, shape: [1], data: new Float32Array(1) };
    return (inputs) => [
      filledHost(value.dtype, hostIntegers(node, input(node, inputs, 0), 'shape'), value.data[0] ?? 0, node.label),
    ];
  },
};
