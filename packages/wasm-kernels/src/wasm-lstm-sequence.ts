import type {
  FusedSequenceKernel,
  RecurrentCellConfig,
  SequenceInputGrads,
  SequenceInputs,
  SequenceOutputGrads,
  SequenceOutputs,
  Shape,
  TensorInfo,
} from '@recur/core';
import { ValueError } from '@recur/core';
import type { LstmSequenceWeights } from './lstm-sequence-pass.js';
import type { WasmMatrixKernels } from './wasm-matrix-kernels.js';

/**
 * Core's fused LSTM kernel on recur-kernels.wasm, for the case the module computes: the
 * standard cell (recurrent activation sigmoid, activation tanh) over a whole sequence that no
 * mask skips: core's `LSTMCell` (packages/core/src/layers/recurrent/lstm-cell.ts states the
 * equations, gate order and the symbols i, f, g, o used here) with σ = sigmoid, act = tanh.
 *
 * Every other call (masked steps, other activations, tensors or shapes it does not take) goes
 * to `inner`, the fused kernel of the backend-ts instance this one decorates, which also gives
 * the error messages for malformed inputs. Forward and backward decide the same way from the
 * same config and inputs, so a backward always meets the saved tensors of its own forward.
 *
 * Tensors are backend-ts's: a handle is the tensor's Float32Array (see backend-ts's
 * matrix-kernels.ts), so inputs are read and results wrapped without a copy.
 */

/** Indices into `SequenceOutputs.saved` of the forward made here. */
const SAVED_GATES = 0; // i, f, g, o, [N, T, 4H]
const SAVED_CELLS = 1; // c' of each step, [N, T, H]
const SAVED_CELL_ACTIVATIONS = 2; // tanh(c'), [N, T, H]
const SAVED_PREVIOUS_HIDDEN = 3; // h entering each step, [N, T, H]
const SAVED_COUNT = 4;

function isStandard(config: RecurrentCellConfig): boolean {
  return config.recurrentActivation === 'sigmoid' && config.activation === 'tanh';
}

/** The inputs as arrays when this kernel takes the call, else null. */
interface StandardInputs extends LstmSequenceWeights {
  readonly bias: Float32Array | null;
  readonly initialHidden: Float32Array;
  readonly initialCell: Float32Array;
}

function floatsOf(tensor: TensorInfo, shape: Shape): Float32Array | null {
  const values = tensor.handle;
  const matches =
    tensor.shape.length === shape.length && tensor.shape.every((dimension, axis) => dimension === shape[axis]);
  return matches && values instanceof Float32Array && tensor.dtype === 'float32' ? values : null;
}

function readStandardInputs(config: RecurrentCellConfig, inputs: SequenceInputs): StandardInputs | null {
  if (
    !isStandard(config) ||
    inputs.x.shape.length !== 3 ||
    inputs.recurrentKernel.shape.length !== 2 ||
    inputs.initialState.length !== 2
  )
    return null;
  const [batch, steps, inputSize] = inputs.x.shape;
  const units = inputs.recurrentKernel.shape[0];
  const width = 4 * units;
  if (inputs.mask !== null) {
    const mask = floatsOf(inputs.mask, [batch, steps]);
    if (mask === null || mask.includes(0)) return null;
  }
  const x = floatsOf(inputs.x, [batch, steps, inputSize]);
  const kernel = floatsOf(inputs.kernel, [inputSize, width]);
  const recurrentKernel = floatsOf(inputs.recurrentKernel, [units, width]);
  const bias = inputs.bias === null ? null : floatsOf(inputs.bias, [width]);
  const initialHidden = floatsOf(inputs.initialState[0], [batch, units]);
  const initialCell = floatsOf(inputs.initialState[1], [batch, units]);
  if (x === null || kernel === null || recurrentKernel === null || initialHidden === null || initialCell === null)
    return null;
  if (inputs.bias !== null && bias === null) return null;
  return { batch, steps, inputSize, units, x, kernel, recurrentKernel, bias, initialHidden, initialCell };
}

/** A backend-ts tensor over `values` (see backend-ts's makeTensor). */
function tensorOf(values: Float32Array, shape: Shape): TensorInfo {
  return { handle: values, shape: Object.freeze([...shape]), dtype: 'float32' };
}

/** The float64 gradient reaching a final state, zeros when it was not used. */
function stateGradient(tensor: TensorInfo | null, size: number): Float64Array {
  const values = new Float64Array(size);
  if (tensor !== null) values.set(tensor.handle as Float32Array);
  return values;
}

/**
 * The fused LSTM of `kernels` over `inner` (the decorated backend's own, which gets every call
 * this one does not take; without it such calls throw).
 */
export function wasmLstmSequence(
  kernels: WasmMatrixKernels,
  inner: FusedSequenceKernel | undefined,
): FusedSequenceKernel {
  const refuse = (): never => {
    throw new ValueError(
      'The WebAssembly LSTM takes only the standard cell (sigmoid / tanh) without masked steps, and the backend it decorates has no fused LSTM for the rest.',
    );
  };

  function forward(config: RecurrentCellConfig, inputs: SequenceInputs): SequenceOutputs {
    const standard = readStandardInputs(config, inputs);
    if (standard === null) return inner === undefined ? refuse() : inner.forward(config, inputs);
    const { batch: N, steps: T, units: H } = standard;
    const rows = N * T;
    const gates = new Float32Array(rows * 4 * H);
    const cells = new Float32Array(rows * H);
    const cellActivations = new Float32Array(rows * H);
    const previousHidden = new Float32Array(rows * H);
    const sequence = new Float32Array(rows * H);
    const hidden = Float32Array.from(standard.initialHidden);
    const cell = Float32Array.from(standard.initialCell);
    // Spelled out rather than spread: a stream calls this once per time step.
    kernels.lstmSequenceForward({
      batch: N,
      steps: T,
      inputSize: standard.inputSize,
      units: H,
      x: standard.x,
      kernel: standard.kernel,
      recurrentKernel: standard.recurrentKernel,
      bias: standard.bias,
      hidden,
      cell,
      gates,
      cells,
      cellActivations,
      previousHidden,
      sequence,
    });
    const saved: TensorInfo[] = [];
    saved[SAVED_GATES] = tensorOf(gates, [N, T, 4 * H]);
    saved[SAVED_CELLS] = tensorOf(cells, [N, T, H]);
    saved[SAVED_CELL_ACTIVATIONS] = tensorOf(cellActivations, [N, T, H]);
    saved[SAVED_PREVIOUS_HIDDEN] = tensorOf(previousHidden, [N, T, H]);
    return {
      sequence: tensorOf(sequence, [N, T, H]),
      finalState: [tensorOf(hidden, [N, H]), tensorOf(cell, [N, H])],
      saved,
    };
  }

  function backward(
    config: RecurrentCellConfig,
    inputs: SequenceInputs,
    outputs: SequenceOutputs,
    grads: SequenceOutputGrads,
  ): SequenceInputGrads {
    const standard = readStandardInputs(config, inputs);
    if (standard === null) return inner === undefined ? refuse() : inner.backward(config, inputs, outputs, grads);
    if (outputs.saved.length !== SAVED_COUNT) {
      throw new ValueError(
        `LSTM backward needs the saved tensors of its own forward pass (got ${outputs.saved.length}, expected ${SAVED_COUNT}).`,
      );
    }
    const { batch: N, steps: T, inputSize: I, units: H } = standard;
    const G = 4 * H;
    const saved = outputs.saved.map((tensor) => tensor.handle as Float32Array);
    const dh = stateGradient(grads.finalState[0] ?? null, N * H);
    const dc = stateGradient(grads.finalState[1] ?? null, N * H);
    const kernelGrad = new Float32Array(I * G);
    const recurrentKernelGrad = new Float32Array(H * G);
    const biasGrad = standard.bias === null ? null : new Float32Array(G);
    const xGrad = grads.inputGradient === false ? null : new Float32Array(N * T * I);
    kernels.lstmSequenceBackward({
      batch: N,
      steps: T,
      inputSize: I,
      units: H,
      x: standard.x,
      kernel: standard.kernel,
      recurrentKernel: standard.recurrentKernel,
      dh,
      dc,
      sequenceGrad: grads.sequence === null ? null : (grads.sequence.handle as Float32Array),
      gates: saved[SAVED_GATES],
      cellActivations: saved[SAVED_CELL_ACTIVATIONS],
      cells: saved[SAVED_CELLS],
      previousHidden: saved[SAVED_PREVIOUS_HIDDEN],
      initialCell: standard.initialCell,
      kernelGrad,
      recurrentKernelGrad,
      biasGrad,
      xGrad,
    });
    return {
      x: xGrad === null ? null : tensorOf(xGrad, [N, T, I]),
      initialState: [tensorOf(Float32Array.from(dh), [N, H]), tensorOf(Float32Array.from(dc), [N, H])],
      kernel: tensorOf(kernelGrad, [I, G]),
      recurrentKernel: tensorOf(recurrentKernelGrad, [H, G]),
      bias: biasGrad === null ? null : tensorOf(biasGrad, [G]),
    };
  }

  return {
    supports: (config) => isStandard(config) || (inner?.supports(config) ?? false),
    forward,
    backward,
  };
}
