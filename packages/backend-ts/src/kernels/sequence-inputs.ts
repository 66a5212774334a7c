import type {
  RecurrentCellConfig,
  SequenceInputs,
  SequenceOutputGrads,
  SequenceOutputs,
  TensorInfo,
} from '@recur/core';
import { ShapeError, ValueError, formatShape } from '@recur/core';
import { floatValuesOf } from '../tensor-storage.js';

/**
 * Validation and unpacking of the arguments of a fused sequence kernel (LSTM, GRU,
 * SimpleRNN), so each kernel starts from checked Float32Arrays and the error messages name
 * the layer, the tensor and the expected shape the same way for all three.
 */

/** What distinguishes the three cells' arguments. */
export interface SequenceLayout {
  /** Keras layer name, for error messages. */
  readonly layer: string;
  /** Gate blocks in the kernel columns: LSTM 4, GRU 3, SimpleRNN 1. */
  readonly gates: number;
  /** Names of the initial states in order, e.g. `['h', 'c']`. */
  readonly states: readonly string[];
  /** Whether the kernel computes this configuration. */
  readonly supports: (config: RecurrentCellConfig) => boolean;
  /** Rows of the bias for this configuration: 1 for `[G*H]`, 2 for `[2, G*H]`. */
  readonly biasRows: (config: RecurrentCellConfig) => 1 | 2;
}

/** The inputs of one call as host arrays, with the sizes every loop needs. */
export interface SequenceArrays {
  readonly batch: number; // N
  readonly steps: number; // T
  readonly inputSize: number; // I
  readonly units: number; // H
  /** N * T: rows of every batch-major [N, T, W] buffer. */
  readonly rows: number;
  readonly x: Float32Array;
  readonly kernel: Float32Array;
  readonly recurrentKernel: Float32Array;
  readonly bias: Float32Array | null;
  readonly mask: Float32Array | null;
  readonly initialState: readonly Float32Array[];
}

/** Whether the mask skips row r = n*T + t (state carried, output 0, no gradient into the step). */
export function isSkipped(mask: Float32Array | null, row: number): boolean {
  return mask !== null && mask[row] === 0;
}

function expectShape(layer: string, tensor: TensorInfo, shape: readonly number[], what: string): void {
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, axis) => d !== shape[axis])) {
    throw new ShapeError(`${layer} ${what} must have shape ${formatShape(shape)}, got ${formatShape(tensor.shape)}.`);
  }
}

/** Checks the configuration and every input shape, and returns the inputs' values. */
export function readSequenceInputs(
  layout: SequenceLayout,
  config: RecurrentCellConfig,
  inputs: SequenceInputs,
): SequenceArrays {
  const { layer } = layout;
  if (!layout.supports(config)) {
    throw new ValueError(
      `The ts backend's fused ${layer} does not support activation '${config.activation}' / ` +
        `recurrent activation '${config.recurrentActivation}'; use one of tanh, sigmoid, ` +
        `hard_sigmoid, softsign, relu, linear.`,
    );
  }
  const { x, kernel, recurrentKernel, bias, initialState, mask } = inputs;
  if (x.shape.length !== 3)
    throw new ShapeError(`${layer} input x must be [batch, steps, features], got ${formatShape(x.shape)}.`);
  if (recurrentKernel.shape.length !== 2) {
    throw new ShapeError(
      `${layer} recurrent kernel must be [units, ${layout.gates} * units], got ${formatShape(recurrentKernel.shape)}.`,
    );
  }
  const [batch, steps, inputSize] = x.shape;
  const units = recurrentKernel.shape[0];
  const width = layout.gates * units;
  expectShape(layer, kernel, [inputSize, width], 'kernel');
  expectShape(layer, recurrentKernel, [units, width], 'recurrent kernel');
  if (bias !== null) expectShape(layer, bias, layout.biasRows(config) === 2 ? [2, width] : [width], 'bias');
  if (initialState.length !== layout.states.length) {
    throw new ValueError(
      `${layer} takes ${layout.states.length} initial state(s) [${layout.states.join(', ')}], got ${initialState.length}.`,
    );
  }
  layout.states.forEach((name, index) => expectShape(layer, initialState[index], [batch, units], `initial ${name}`));
  if (mask !== null) expectShape(layer, mask, [batch, steps], 'mask');
  return {
    batch,
    steps,
    inputSize,
    units,
    rows: batch * steps,
    x: floatValuesOf(x, `${layer} x`),
    kernel: floatValuesOf(kernel, `${layer} kernel`),
    recurrentKernel: floatValuesOf(recurrentKernel, `${layer} recurrent kernel`),
    bias: bias === null ? null : floatValuesOf(bias, `${layer} bias`),
    mask: mask === null ? null : floatValuesOf(mask, `${layer} mask`),
    initialState: layout.states.map((name, index) => floatValuesOf(initialState[index], `${layer} initial ${name}`)),
  };
}

/** The saved buffers of the forward pass and the upstream gradients of one backward call. */
export interface SequenceGradientArrays {
  readonly saved: readonly Float32Array[];
  /** dL/d sequence `[N, T, H]`, or null when the sequence output was not used. */
  readonly sequence: Float32Array | null;
  /**
   * dL/d each final state `[N, H]` in float64 (zeros when unused): the kernels accumulate
   * the gradient flowing backwards through the carried state in these arrays.
   */
  readonly states: readonly Float64Array[];
}

/** Checks the forward pass's outputs and the upstream gradients and returns their values. */
export function readSequenceGradients(
  layout: SequenceLayout,
  arrays: SequenceArrays,
  outputs: SequenceOutputs,
  grads: SequenceOutputGrads,
  savedCount: number,
): SequenceGradientArrays {
  const { layer } = layout;
  const { batch, steps, units } = arrays;
  if (outputs.saved.length !== savedCount) {
    throw new ValueError(
      `${layer} backward needs the saved tensors of its own forward pass (got ${outputs.saved.length}, expected ${savedCount}).`,
    );
  }
  expectShape(layer, outputs.sequence, [batch, steps, units], 'sequence output');
  if (grads.sequence !== null) expectShape(layer, grads.sequence, [batch, steps, units], 'sequence gradient');
  const states = layout.states.map((name, index) => {
    const upstream = grads.finalState[index] ?? null;
    const values = new Float64Array(batch * units);
    if (upstream !== null) {
      expectShape(layer, upstream, [batch, units], `final ${name} gradient`);
      values.set(floatValuesOf(upstream, `${layer} final ${name} gradient`));
    }
    return values;
  });
  return {
    saved: outputs.saved.map((tensor) => floatValuesOf(tensor, `${layer} saved`)),
    sequence: grads.sequence === null ? null : floatValuesOf(grads.sequence, `${layer} sequence gradient`),
    states,
  };
}
