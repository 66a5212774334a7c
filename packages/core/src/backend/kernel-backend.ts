/**
 * Design: the KernelBackend contract.
 *
 * A backend is an object the caller passes in; nothing registers itself on import. It owns
 * tensor storage behind opaque handles and implements a small set of eager forward primitives.
 * It never computes gradients: autodiff lives in core, written once in terms of these
 * primitives, so every backend trains with the same semantics and passes the same gradient
 * tests. The one exception is the optional fused sequence kernels, which carry their own
 * backward twin because a whole-sequence kernel is where JavaScript speed comes from (one call
 * per sequence, no allocation per time step). Core uses a fused kernel when the backend has it
 * and its `supports(config)` accepts the layer's options, and falls back to a loop over
 * primitives otherwise.
 *
 * Contract rules every implementation keeps:
 * - Inputs are never mutated; every primitive returns a new tensor.
 * - `download` returns a copy the caller owns.
 * - Shapes follow row-major (C) order; broadcasting in `binary` follows NumPy rules.
 * - float32 is the compute type; int32 holds indices (token ids). Unary, binary, matmul and
 *   reduce take float32 tensors; `cast` converts.
 * - A backend declares `contractVersion`; core refuses a backend built for another version.
 */

/** The contract version this build of core speaks (2 added `scatterUpdate`). */
export const KERNEL_CONTRACT_VERSION = 2;

export type DType = 'float32' | 'int32';
export type Shape = readonly number[];
export type TypedArray = Float32Array | Int32Array;

/** A backend-owned tensor: an opaque handle plus the shape and dtype core reasons about. */
export interface TensorInfo {
  readonly handle: unknown;
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * Element-wise functions of one tensor.
 * `hardSigmoid` is Keras 3's (and PyTorch's) `clip(x / 6 + 0.5, 0, 1)`; `softsign` is
 * `x / (1 + |x|)`; `step` is `x > 0 ? 1 : 0` (the derivative of relu); `sign` returns -1, 0, 1.
 */
export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'step'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'square'
  | 'tanh'
  | 'sigmoid'
  | 'hardSigmoid'
  | 'softsign'
  | 'relu';

/**
 * Element-wise functions of two broadcast tensors. `equal` and `greater` return 1 or 0 as
 * float32 (masks), and are never differentiated.
 */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | 'equal' | 'greater';

export type ReduceOp = 'sum' | 'max';

/** Activations the recurrent cells accept, by their Keras names. */
export type ActivationName = 'tanh' | 'sigmoid' | 'hard_sigmoid' | 'softsign' | 'relu' | 'linear';

/** What a fused recurrent kernel must honour. Gate orders are Keras's (see DESIGN.md). */
export interface RecurrentCellConfig {
  /** Output / candidate activation (Keras `activation`). */
  readonly activation: ActivationName;
  /** Gate activation (Keras `recurrent_activation`); ignored by SimpleRNN. */
  readonly recurrentActivation: ActivationName;
  /** GRU only: Keras `reset_after` (ONNX `linear_before_reset`). */
  readonly resetAfter?: boolean;
}

/**
 * Inputs of a whole-sequence kernel, all in Keras layout.
 * - `x` `[N, T, I]` batch-major. Time runs forward: `goBackwards` is handled by core, which
 *   reverses `x` and `mask` before the call.
 * - `initialState`: LSTM `[h, c]`, GRU and SimpleRNN `[h]`, each `[N, H]`.
 * - `kernel` `[I, G*H]`, `recurrentKernel` `[H, G*H]`, `bias` `[G*H]` (GRU with reset_after
 *   `[2, G*H]`: input row then recurrent row), or null without bias. Gates: LSTM `i, f, c, o`,
 *   GRU `z, r, h`.
 * - `mask` `[N, T]` float32 of 1 (step is processed) and 0 (step is skipped: the state is
 *   carried unchanged and the output at that step is 0), or null when every step counts.
 */
export interface SequenceInputs {
  readonly x: TensorInfo;
  readonly initialState: readonly TensorInfo[];
  readonly kernel: TensorInfo;
  readonly recurrentKernel: TensorInfo;
  readonly bias: TensorInfo | null;
  readonly mask: TensorInfo | null;
}

/**
 * Outputs of a whole-sequence kernel: every step's output `[N, T, H]`, the final states in the
 * order of `initialState`, and whatever the backward twin needs (`saved`), which core keeps
 * alive until the backward pass and releases with the other tensors of its scope.
 */
export interface SequenceOutputs {
  readonly sequence: TensorInfo;
  readonly finalState: readonly TensorInfo[];
  readonly saved: readonly TensorInfo[];
}

/** Upstream gradients of a sequence kernel's outputs; null where the output was not used. */
export interface SequenceOutputGrads {
  readonly sequence: TensorInfo | null;
  readonly finalState: readonly (TensorInfo | null)[];
  /**
   * Whether the gradient of `x` is wanted. It is not when `x` is data (one-hot characters, raw
   * signals: the first layer), which saves the `[N*T, G*H] x [G*H, I]` product; a kernel may
   * then return null for `x`.
   */
  readonly inputGradient: boolean;
}

/**
 * Gradients with respect to every input of `SequenceInputs`: null for an absent bias, and
 * possibly null for `x` when `inputGradient` was false.
 */
export interface SequenceInputGrads {
  readonly x: TensorInfo | null;
  readonly initialState: readonly TensorInfo[];
  readonly kernel: TensorInfo;
  readonly recurrentKernel: TensorInfo;
  readonly bias: TensorInfo | null;
}

/** A fused whole-sequence kernel and its backward twin. */
export interface FusedSequenceKernel {
  /** Whether this kernel computes the given cell options exactly; core falls back otherwise. */
  supports(config: RecurrentCellConfig): boolean;
  forward(config: RecurrentCellConfig, inputs: SequenceInputs): SequenceOutputs;
  backward(
    config: RecurrentCellConfig,
    inputs: SequenceInputs,
    outputs: SequenceOutputs,
    grads: SequenceOutputGrads,
  ): SequenceInputGrads;
}

/** The scalars of one Adam update (see `KernelBackend.adamStep`). */
export interface AdamStepScalars {
  /** The step size with both bias corrections: `lr sqrt(1 - beta2^t) / (1 - beta1^t)`. */
  readonly alpha: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export interface KernelBackend {
  /** Must equal KERNEL_CONTRACT_VERSION of the core it is used with. */
  readonly contractVersion: number;
  /** Short name shown in summaries and errors, e.g. `ts`, `tfjs-wasm`. */
  readonly name: string;

  /** Copies host values into a new backend tensor. `values.length` equals the shape's size. */
  upload(values: TypedArray, shape: Shape, dtype: DType): TensorInfo;
  /** Copies a tensor's values to the host (a fresh array the caller owns). */
  download(tensor: TensorInfo): TypedArray;
  /** Frees the tensor's storage. Releasing twice is a bug in core, not the caller's problem. */
  release(tensor: TensorInfo): void;

  fill(shape: Shape, value: number, dtype: DType): TensorInfo;
  cast(x: TensorInfo, dtype: DType): TensorInfo;
  unary(op: UnaryOp, x: TensorInfo): TensorInfo;
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo): TensorInfo;
  /**
   * Matrix product of rank-2 tensors, or of rank-3 tensors with the same leading batch size.
   * The transpose flags apply to the last two axes.
   */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo;
  /** Reduces over the given (sorted, distinct) axes; the reduced axes are removed. */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): TensorInfo;

  /** Same values, new shape of the same size (may share storage: tensors are immutable). */
  reshape(x: TensorInfo, shape: Shape): TensorInfo;
  transpose(x: TensorInfo, perm: readonly number[]): TensorInfo;
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): TensorInfo;
  concat(tensors: readonly TensorInfo[], axis: number): TensorInfo;
  reverse(x: TensorInfo, axis: number): TensorInfo;
  /**
   * Rows of a rank-2 float32 `table` `[R, D]` picked by int32 `indices` of any shape: the
   * result has shape `[...indices.shape, D]`. Indices are in range (core checks).
   */
  gather(table: TensorInfo, indices: TensorInfo): TensorInfo;
  /** The adjoint of gather: a `[rows, D]` zero tensor with each `updates` row added at its index. */
  scatterAdd(indices: TensorInfo, updates: TensorInfo, rows: number): TensorInfo;
  /**
   * A copy of the rank-2 float32 `table` `[R, D]` with row `indices[k]` replaced by row k of
   * `updates` `[K, D]`; `indices` is int32 `[K]`, in range and without repeats (core checks).
   *
   * With `donateTable` the caller gives `table` up: it releases it right after the call and
   * never reads it again (a Variable's old value, see `Variable.assignRows`). The backend may
   * then write the rows into the table's own storage and return a tensor over it, when nothing
   * else holds that storage (a reshape of the table may), so changing a few rows of a large
   * table costs those rows rather than a copy of the table. Ignoring the flag is correct too.
   */
  scatterUpdate(table: TensorInfo, indices: TensorInfo, updates: TensorInfo, donateTable?: boolean): TensorInfo;

  /**
   * Optional: one Adam update of a weight in a single pass over its elements, by the formulas
   * of core's `Adam` (Keras 3): `m' = m + (g - m)(1 - beta1)`, `v' = v + (g² - v)(1 - beta2)`,
   * with AMSGrad `vHat' = max(vHat, v')` used in place of v' below, and
   * `w' = w - alpha m' / (sqrt(v') + epsilon)`. Returns `[w', m', v']`, and `vHat'` last when
   * `vHat` is given; all float32 of the weight's shape. Core runs the same formulas as
   * primitives when a backend has no such kernel, a dozen passes over the weight, each making
   * a new array.
   */
  adamStep?(
    weight: TensorInfo,
    gradient: TensorInfo,
    m: TensorInfo,
    v: TensorInfo,
    vHat: TensorInfo | null,
    scalars: AdamStepScalars,
  ): TensorInfo[];
  /**
   * Optional: `adamStep`'s formulas on rows `indices` (int32 `[K]`, distinct and in range) of a
   * rank-2 weight `[R, D]` and its slots, `gradientRows` `[K, D]` holding those rows' gradient:
   * the lazy update of `sparseUpdates` in one kernel, instead of gathering the rows, updating
   * them and writing them back. Returns `[w', m', v']`, and `vHat'` last when `vHat` is given,
   * all `[R, D]`, the rows outside `indices` unchanged. With `donate` the caller gives up the
   * weight and slot tensors as with `scatterUpdate`'s `donateTable`: the backend may write the
   * rows into their storage. Core calls it for an `Adam` with `sparseUpdates`.
   */
  adamStepRows?(
    weight: TensorInfo,
    gradientRows: TensorInfo,
    m: TensorInfo,
    v: TensorInfo,
    vHat: TensorInfo | null,
    indices: TensorInfo,
    scalars: AdamStepScalars,
    donate: boolean,
  ): TensorInfo[];

  /** Optional fused whole-sequence kernels (see `FusedSequenceKernel`). */
  readonly lstmSequence?: FusedSequenceKernel;
  readonly gruSequence?: FusedSequenceKernel;
  readonly simpleRnnSequence?: FusedSequenceKernel;
}
