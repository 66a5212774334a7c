import type { ActivationName } from '@recur/core';
import { KERAS_PEEPHOLE_FROM_ONNX, onnxKernelToKeras, reorderBlocks } from '../gate-order.js';
import { OnnxFormatError, OnnxUnsupportedError } from '../onnx-errors.js';
import type { HostTensor } from '../proto/host-tensor.js';
import { kerasActivationOf, parseActivationAttributes } from '../recurrent-activations.js';
import { RECURRENT_OPERATORS, isRecurrentOpType, type RecurrentOperator } from '../recurrent-operators.js';
import { readFloats, readInt, readString, readStrings } from './node-attributes.js';
import type { OnnxGraph, OnnxNode } from './onnx-graph.js';

/** The node inputs that carry weights: W, R, B and (LSTM) P. */
const WEIGHT_INPUTS = [1, 2, 3, 7];
const PEEPHOLE_INPUT = 7;

/** One direction of an ONNX recurrent node as a Recur layer: options and Keras-layout weights. */
export interface RecurrentDirection {
  readonly goBackwards: boolean;
  readonly activation: ActivationName;
  /** The gate activation (LSTM, GRU); SimpleRNN has no gates and ignores it. */
  readonly recurrentActivation: ActivationName;
  /**
   * By Recur's weight names: `kernel` `[I, G*H]`, `recurrent_kernel` `[H, G*H]`, `bias`
   * (`[2, 3H]` for GRU with resetAfter, else `[G*H]`), and `peephole_kernel` `[3, H]` (LSTM
   * with peepholes).
   */
  readonly weights: ReadonlyMap<string, HostTensor>;
}

export interface RecurrentNodeDescription {
  readonly operator: RecurrentOperator;
  readonly units: number;
  readonly inputSize: number;
  /** 0: X `[T, N, I]`, Y `[T, D, N, H]`; 1: X `[N, T, I]`, Y `[N, T, D, H]`. */
  readonly layout: 0 | 1;
  /** GRU: `linear_before_reset = 1`, Keras's `resetAfter: true`. */
  readonly resetAfter: boolean;
  /** LSTM: the node has a P input, so the layers take Recur's `peephole` option. */
  readonly peephole: boolean;
  readonly directions: readonly RecurrentDirection[];
}

/** Reads input `k` of the node (W, R, B, P) on the host, or null when absent. */
export type WeightResolver = (k: number) => HostTensor | null;

/** Resolves weight inputs from the graph's initializers (null when an input is computed or fed at run time). */
export function initializerResolver(node: OnnxNode, graph: OnnxGraph): WeightResolver | null {
  const weightInputs = WEIGHT_INPUTS.map((k) => node.inputs[k] ?? '');
  if (weightInputs.some((name) => name !== '' && !graph.initializers.has(name))) return null;
  return (k) => {
    const name = node.inputs[k] ?? '';
    return name === '' ? null : graph.initializers.get(name)!;
  };
}

function float32Input(node: OnnxNode, resolve: WeightResolver, k: number, what: string): HostTensor | null {
  const tensor = resolve(k);
  if (tensor !== null && tensor.dtype !== 'float32')
    throw new OnnxFormatError(`The ONNX graph's ${node.label}: ${what} must be float32, got ${tensor.dtype}.`);
  return tensor;
}

function expectShape(node: OnnxNode, tensor: HostTensor, shape: readonly number[], what: string): void {
  if (tensor.shape.length !== shape.length || tensor.shape.some((dimension, axis) => dimension !== shape[axis])) {
    throw new OnnxFormatError(
      `The ONNX graph's ${node.label}: ${what} has shape [${tensor.shape.join(', ')}], expected [${shape.join(', ')}].`,
    );
  }
}

/** The attributes of an ONNX LSTM, GRU or RNN node in Recur terms. */
export interface RecurrentNodeOptions {
  readonly operator: RecurrentOperator;
  readonly direction: 'forward' | 'reverse' | 'bidirectional';
  readonly layout: 0 | 1;
  readonly resetAfter: boolean;
  readonly peephole: boolean;
  /** Per direction: gate and candidate/output activations. */
  readonly activations: readonly {
    readonly recurrentActivation: ActivationName;
    readonly activation: ActivationName;
  }[];
}

/**
 * Checks an ONNX recurrent node's attributes and refuses, naming the node, what Recur's layers
 * cannot compute exactly: `clip`, LSTM's `input_forget`, activations with no Recur equivalent,
 * and LSTM candidate and output activations that differ.
 */
export function recurrentNodeOptions(node: OnnxNode): RecurrentNodeOptions {
  if (!isRecurrentOpType(node.opType))
    throw new OnnxFormatError(`The ONNX graph's ${node.label} is not an LSTM, GRU or RNN node.`);
  const operator = RECURRENT_OPERATORS[node.opType];
  const direction = readString(node, 'direction', 'forward');
  if (direction !== 'forward' && direction !== 'reverse' && direction !== 'bidirectional') {
    throw new OnnxFormatError(
      `The ONNX graph's ${node.label}: direction '${direction}' is not forward, reverse or bidirectional.`,
    );
  }
  const count = direction === 'bidirectional' ? 2 : 1;
  const layout = readInt(node, 'layout', 0);
  if (layout !== 0 && layout !== 1)
    throw new OnnxFormatError(`The ONNX graph's ${node.label}: layout must be 0 or 1, got ${layout}.`);
  if (node.attributes.has('clip'))
    throw new OnnxUnsupportedError(
      `The ONNX graph's ${node.label}: cell clipping ('clip') is not supported by Recur's ${operator.layerKind}.`,
    );
  if (readInt(node, 'input_forget', 0) !== 0)
    throw new OnnxUnsupportedError(
      `The ONNX graph's ${node.label}: coupled input and forget gates ('input_forget = 1') are not supported.`,
    );
  const linearBeforeReset = readInt(node, 'linear_before_reset', 0);
  if (linearBeforeReset !== 0 && linearBeforeReset !== 1)
    throw new OnnxFormatError(
      `The ONNX graph's ${node.label}: linear_before_reset must be 0 or 1, got ${linearBeforeReset}.`,
    );

  const perDirection = operator.defaultActivations.length;
  const names =
    readStrings(node, 'activations') ?? Array.from({ length: count }, () => operator.defaultActivations).flat();
  if (names.length !== perDirection * count) {
    throw new OnnxFormatError(
      `The ONNX graph's ${node.label}: 'activations' needs ${perDirection * count} entries (${perDirection} per direction), got ${names.length}.`,
    );
  }
  const parsed = parseActivationAttributes(
    names,
    readFloats(node, 'activation_alpha') ?? [],
    readFloats(node, 'activation_beta') ?? [],
  );
  const activations = Array.from({ length: count }, (_, d) => {
    const own = parsed
      .slice(perDirection * d, perDirection * (d + 1))
      .map((activation) => kerasActivationOf(activation, `The ONNX graph's ${node.label}`));
    if (operator.opType === 'RNN') return { recurrentActivation: 'sigmoid' as const, activation: own[0] };
    if (operator.opType === 'LSTM' && own[1] !== own[2]) {
      throw new OnnxUnsupportedError(
        `The ONNX graph's ${node.label}: candidate activation ${own[1]} differs from output activation ${own[2]}; Recur's LSTM uses one 'activation' for both.`,
      );
    }
    return { recurrentActivation: own[0], activation: own[1] };
  });
  const peephole = operator.opType === 'LSTM' && (node.inputs[PEEPHOLE_INPUT] ?? '') !== '';
  return { operator, direction, layout, resetAfter: linearBeforeReset === 1, peephole, activations };
}

/**
 * Reads an ONNX recurrent node into Recur terms: per direction, Keras-layout weights (gate
 * blocks reordered with the operator's table, W and R transposed). The bias: LSTM and RNN
 * add `Wb + Rb`; GRU with `linear_before_reset = 1` keeps them as the two rows of Keras's
 * `[2, 3H]` bias; GRU with `linear_before_reset = 0` adds them too, which is exact because
 * ONNX then adds `Rb_h` outside the reset gate, as Keras adds its single bias. Weights come
 * from `resolve` (the initializers, or the values fed at run time).
 */
export function describeRecurrentNode(
  node: OnnxNode,
  options: RecurrentNodeOptions,
  resolve: WeightResolver,
): RecurrentNodeDescription {
  const { operator } = options;
  const count = options.activations.length;
  const W = float32Input(node, resolve, 1, 'W');
  const R = float32Input(node, resolve, 2, 'R');
  if (W === null || R === null)
    throw new OnnxFormatError(`The ONNX graph's ${node.label}: the W and R inputs are required.`);
  const B = float32Input(node, resolve, 3, 'B');
  const P = options.peephole ? float32Input(node, resolve, PEEPHOLE_INPUT, 'P') : null;
  if (W.shape.length !== 3)
    throw new OnnxFormatError(
      `The ONNX graph's ${node.label}: W must be [directions, ${operator.gates}H, input], got [${W.shape.join(', ')}].`,
    );
  const units = readInt(node, 'hidden_size', W.shape[1] / operator.gates);
  const inputSize = W.shape[2];
  const block = operator.gates * units;
  expectShape(node, W, [count, block, inputSize], 'W');
  expectShape(node, R, [count, block, units], 'R');
  if (B !== null) expectShape(node, B, [count, 2 * block], 'B');
  if (P !== null) expectShape(node, P, [count, 3 * units], 'P');
  const separateBiases = operator.opType === 'GRU' && options.resetAfter;

  const directions = options.activations.map(({ recurrentActivation, activation }, d): RecurrentDirection => {
    const wb = reorderBlocks(
      B === null ? new Float32Array(block) : B.data.subarray(2 * d * block, (2 * d + 1) * block),
      units,
      operator.kerasFromOnnx,
    );
    const rb = reorderBlocks(
      B === null ? new Float32Array(block) : B.data.subarray((2 * d + 1) * block, (2 * d + 2) * block),
      units,
      operator.kerasFromOnnx,
    );
    const bias: HostTensor = separateBiases
      ? { dtype: 'float32', shape: [2, block], data: joinRows(wb, rb) }
      : { dtype: 'float32', shape: [block], data: wb.map((value, k) => value + rb[k]) };
    const weights = new Map<string, HostTensor>([
      [
        'kernel',
        {
          dtype: 'float32',
          shape: [inputSize, block],
          data: onnxKernelToKeras(
            W.data.subarray(d * block * inputSize, (d + 1) * block * inputSize),
            inputSize,
            units,
            operator.kerasFromOnnx,
          ),
        },
      ],
      [
        'recurrent_kernel',
        {
          dtype: 'float32',
          shape: [units, block],
          data: onnxKernelToKeras(
            R.data.subarray(d * block * units, (d + 1) * block * units),
            units,
            units,
            operator.kerasFromOnnx,
          ),
        },
      ],
      ['bias', bias],
    ]);
    if (options.peephole) {
      const vector = P === null ? new Float32Array(3 * units) : P.data.subarray(3 * d * units, 3 * (d + 1) * units);
      weights.set('peephole_kernel', {
        dtype: 'float32',
        shape: [3, units],
        data: reorderBlocks(vector, units, KERAS_PEEPHOLE_FROM_ONNX),
      });
    }
    return { goBackwards: options.direction === 'reverse' || d === 1, recurrentActivation, activation, weights };
  });
  return {
    operator,
    units,
    inputSize,
    layout: options.layout,
    resetAfter: options.resetAfter,
    peephole: options.peephole,
    directions,
  };
}

function joinRows(first: Float32Array, second: Float32Array): Float32Array {
  const result = new Float32Array(first.length + second.length);
  result.set(first, 0);
  result.set(second, first.length);
  return result;
}
