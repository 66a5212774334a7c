import type { DType } from '../../backend/kernel-backend.js';
import type { TensorData } from '../../data/tensor-data.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * Design: a loss turns a batch of model outputs and labels into one scalar tensor, the mean
 * over every sample (and every time step of a sequence output), as Keras's default
 * `sum_over_batch_size` reduction does. It is written in core ops, so autodiff differentiates it
 * on every backend. When the model's final softmax or sigmoid was folded away, the loss receives
 * logits and uses a stable log-domain form; otherwise it receives probabilities and clips them
 * by Keras's epsilon before taking logarithms.
 */
export interface Loss {
  /** The Keras name, e.g. `sparse_categorical_crossentropy`. */
  readonly name: LossName;
  /** The dtype labels are converted to (int32 class ids for the sparse loss). */
  readonly labelDtype: DType;
  /** The final activation whose logits this loss can take directly, if any. */
  readonly foldableActivation: 'softmax' | 'sigmoid' | null;
  /** What the labels mean, which picks the flavour of the `accuracy` metric. */
  readonly labelKind: LabelKind;
  /**
   * Checks labels against the model's output shape (with the batch axis) before training, and
   * throws naming `what` (the option, e.g. `y`), the loss and both shapes when they do not fit.
   */
  checkLabels(labels: TensorData, outputShape: readonly number[], what: string): void;
  /**
   * The scalar mean loss; `fromLogits` says `output` holds logits of the foldable activation;
   * `mask` (`[N, T]`, for sequence outputs) leaves padded steps out of the mean.
   */
  compute(output: Tensor, labels: Tensor, fromLogits: boolean, mask?: Tensor | null): Tensor;
}

/** Loss names as Keras spells them (`mse` is the alias of `mean_squared_error`). */
export type LossName =
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy'
  | 'binary_crossentropy'
  | 'mean_squared_error';

/** `sparse`: one class id per row; `categorical`: one-hot rows; `binary`: 0/1 per output; `regression`: real targets. */
export type LabelKind = 'sparse' | 'categorical' | 'binary' | 'regression';

/** Keras's fuzz factor `keras.backend.epsilon()`: probabilities are clipped to [eps, 1 - eps]. */
export const KERAS_EPSILON = 1e-7;
