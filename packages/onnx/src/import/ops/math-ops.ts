import { ShapeError, ops, type Engine, type Tensor } from '@recur/core';
import { OnnxUnsupportedError } from '../../onnx-errors.js';
import { isTensor, shapeOf, toHost, toTensor, type GraphValue } from '../graph-value.js';
import { hostBinary, hostReduceSum, resolveAxis } from '../host-ops.js';
import { readFloat, readInt, readInts } from '../node-attributes.js';
import type { OnnxNode } from '../onnx-graph.js';
import { hostIntegers, input, type OpCompiler } from './compiled-op.js';

/** Arithmetic, activations, matrix products and reductions, through core ops on the backend. */

const KERAS_HARD_SIGMOID = { alpha: 1 / 6, beta: 0.5 };

/** `[..., K] x [K, M]` (or equal-rank batched) through core's rank-2 / rank-3 matmul. */
function matmul(node: OnnxNode, a: Tensor, b: Tensor): Tensor {
  if (b.rank === 2 && a.rank >= 2) {
    const leading = a.shape.slice(0, -1);
    const flat = a.rank === 2 ? a : ops.reshape(a, [-1, a.shape[a.rank - 1]]);
    const product = ops.matmul(flat, b);
    return a.rank === 2 ? product : ops.reshape(product, [...leading, b.shape[1]]);
  }
  if (a.rank === 3 && b.rank === 3) return ops.matmul(a, b);
  throw new OnnxUnsupportedError(
    `The ONNX graph's ${node.label}: MatMul of shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] is not supported (only [..., K] x [K, M] and batched rank 3).`,
  );
}

function binary(
  opType: string,
  fn: (a: Tensor, b: Tensor) => Tensor,
  hostFn: (a: number, b: number) => number,
): OpCompiler {
  return (node, _graph, engine) => (inputs) => {
    const a = input(node, inputs, 0);
    const b = input(node, inputs, 1);
    if (!isTensor(a) && !isTensor(b) && a.dtype !== 'float32' && b.dtype !== 'float32') {
      return [hostBinary(a, b, opType === 'Equal' || opType === 'Greater' ? 'bool' : a.dtype, hostFn)];
    }
    return [fn(toTensor(a, engine), toTensor(b, engine))];
  };
}

function unary(fn: (x: Tensor) => Tensor): OpCompiler {
  return (node, _graph, engine) => (inputs) => [fn(toTensor(input(node, inputs, 0), engine))];
}

/** The reduction axes: an input from opset 13 (ReduceSum) or 18 (the others), an attribute before. */
function reductionAxes(node: OnnxNode, inputs: readonly (GraphValue | null)[], rank: number): number[] {
  const fromInput = inputs[1];
  const axes =
    fromInput !== null && fromInput !== undefined ? hostIntegers(node, fromInput, 'axes') : readInts(node, 'axes');
  if (axes === null || axes.length === 0) {
    if (readInt(node, 'noop_with_empty_axes', 0) === 1) return [];
    return Array.from({ length: rank }, (_, axis) => axis);
  }
  return axes.map((axis) => resolveAxis(axis, rank, node.label));
}

function reduction(kind: 'sum' | 'mean' | 'max' | 'prod'): OpCompiler {
  return (node, _graph, engine) => (inputs) => {
    const data = input(node, inputs, 0);
    const shape = shapeOf(data);
    const axes = reductionAxes(node, inputs, shape.length);
    const keepDims = readInt(node, 'keepdims', 1) === 1;
    if (axes.length === 0) return [data];
    if (!isTensor(data) && data.dtype !== 'float32' && kind === 'sum') return [hostReduceSum(data, axes, keepDims)];
    const x = toTensor(data, engine);
    if (kind === 'sum') return [ops.sum(x, axes, keepDims)];
    if (kind === 'mean') return [ops.mean(x, axes, keepDims)];
    if (kind === 'max') return [ops.max(x, axes, keepDims)];
    // No product reduction in core: multiply the slices along each axis.
    let result = x;
    for (const axis of axes) {
      const slices = ops.split(result, axis, 1);
      result = slices.slice(1).reduce((product, part) => ops.mul(product, part), slices[0]);
    }
    const kept = shape.map((dimension, axis) => (axes.includes(axis) ? 1 : dimension));
    return [ops.reshape(result, keepDims ? kept : shape.filter((_, axis) => !axes.includes(axis)))];
  };
}

function gemm(node: OnnxNode, inputs: readonly (GraphValue | null)[], engine: Engine): Tensor {
  const a = toTensor(input(node, inputs, 0), engine);
  const b = toTensor(input(node, inputs, 1), engine);
  if (a.rank !== 2 || b.rank !== 2)
    throw new ShapeError(
      `The ONNX graph's ${node.label}: Gemm needs rank-2 A and B, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}].`,
    );
  const alpha = readFloat(node, 'alpha', 1);
  const beta = readFloat(node, 'beta', 1);
  let result = ops.matmul(a, b, readInt(node, 'transA', 0) === 1, readInt(node, 'transB', 0) === 1);
  if (alpha !== 1) result = ops.mul(result, alpha);
  const c = inputs[2];
  if (c !== null && c !== undefined && beta !== 0) {
    const bias = toTensor(c, engine);
    result = ops.add(result, beta === 1 ? bias : ops.mul(bias, beta));
  }
  return result;
}

function hardSigmoid(node: OnnxNode): (x: Tensor) => Tensor {
  const alpha = readFloat(node, 'alpha', 0.2);
  const beta = readFloat(node, 'beta', 0.5);
  if (Math.abs(alpha - KERAS_HARD_SIGMOID.alpha) < 1e-7 && beta === KERAS_HARD_SIGMOID.beta) return ops.hardSigmoid;
  return (x) => ops.clip(ops.add(ops.mul(x, alpha), beta), 0, 1);
}

function softmax(node: OnnxNode, x: Tensor, opset: number): Tensor {
  const axis = resolveAxis(readInt(node, 'axis', opset >= 13 ? -1 : 1), x.rank, node.label);
  if (opset >= 13 || axis === x.rank - 1) return ops.softmax(x, axis);
  // Before opset 13 Softmax flattened the axes from `axis` on into one.
  const flat = ops.reshape(x, [x.shape.slice(0, axis).reduce((p, d) => p * d, 1), -1]);
  return ops.reshape(ops.softmax(flat, 1), x.shape);
}

const notOp: OpCompiler = (node) => (inputs) => {
  const value = input(node, inputs, 0);
  if (isTensor(value) || value.dtype !== 'bool')
    throw new OnnxUnsupportedError(
      `The ONNX graph's ${node.label}: Not is supported on boolean values computed from integers only.`,
    );
  return [{ dtype: 'bool', shape: value.shape, data: Uint8Array.from(value.data, (flag) => (flag === 0 ? 1 : 0)) }];
};

const castOp: OpCompiler = (node, _graph, engine) => {
  const to = readInt(node, 'to', 1);
  const target = ({ 1: 'float32', 6: 'int32', 7: 'int64', 9: 'bool' } as const)[to as 1 | 6 | 7 | 9];
  if (target === undefined)
    throw new OnnxUnsupportedError(
      `The ONNX graph's ${node.label}: Cast to data type ${to} is not supported (FLOAT, INT32, INT64, BOOL are).`,
    );
  return (inputs) => {
    const value = input(node, inputs, 0);
    if (target === 'float32') return [toTensor(value, engine)];
    // Integers computed from float data (Masking's sequence lengths) are read back to the host,
    // where the graph keeps every integer value.
    const host = toHost(value);
    const data =
      target === 'int32'
        ? Int32Array.from(host.data, Math.trunc)
        : target === 'int64'
          ? Float64Array.from(host.data, Math.trunc)
          : Uint8Array.from(host.data, (x) => (x === 0 ? 0 : 1));
    return [{ dtype: target, shape: host.shape, data }];
  };
};

export const mathOps: Record<string, OpCompiler> = {
  Add: binary('Add', ops.add, (a, b) => a + b),
  Sub: binary('Sub', ops.sub, (a, b) => a - b),
  Mul: binary('Mul', ops.mul, (a, b) => a * b),
  Div: binary('Div', ops.div, (a, b) => Math.trunc(a / b)),
  Equal: binary('Equal', ops.equal, (a, b) => (a === b ? 1 : 0)),
  Greater: binary('Greater', ops.greater, (a, b) => (a > b ? 1 : 0)),
  Not: notOp,
  Cast: castOp,
  MatMul: (node, _graph, engine) => (inputs) => [
    matmul(node, toTensor(input(node, inputs, 0), engine), toTensor(input(node, inputs, 1), engine)),
  ],
  Gemm: (node, _graph, engine) => (inputs) => [gemm(node, inputs, engine)],
  Sigmoid: unary(ops.sigmoid),
  Tanh: unary(ops.tanh),
  Relu: unary(ops.relu),
  Softsign: unary(ops.softsign),
  Abs: unary(ops.abs),
  HardSigmoid: (node, graph, engine, owned) => unary(hardSigmoid(node))(node, graph, engine, owned),
  Softmax: (node, graph, engine) => (inputs) => [softmax(node, toTensor(input(node, inputs, 0), engine), graph.opset)],
  ReduceSum: reduction('sum'),
  ReduceMean: reduction('mean'),
  ReduceMax: reduction('max'),
  ReduceProd: reduction('prod'),
};
