import { valueAndGradients } from '../autodiff/gradients.js';
import { gather, nonzeroRows } from '../ops/indexing.js';
import type { TensorData } from '../data/tensor-data.js';
import { applyActivation } from '../layers/activations.js';
import type { Sequential } from '../models/sequential.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TrainingSetup } from './compile.js';
import type { MetricBatch } from './metrics/metric.js';

/** One batch's mean loss and what the metrics need, on the host. */
export interface StepResult {
  readonly loss: number;
  readonly batch: MetricBatch;
}

/**
 * One training step: forward and loss under the gradient tape, gradients of the trainable
 * weights, one optimizer update, all in a single tidy scope so nothing survives but the new
 * weights and optimizer slots.
 */
export function trainStep(model: Sequential, setup: TrainingSetup, x: TensorData, y: TensorData): StepResult {
  return model.engine.tidy(() => {
    const { loss, grads, pass } = gradientPass(model, setup, ...upload(model, setup, x, y));
    setup.optimizer.apply(grads, model.trainableWeights);
    return hostResult(loss, pass, setup, y);
  });
}

/**
 * The same step on tensors already on the model's backend, returning only the loss: no upload
 * and no metric read-back, for loops that keep their batches on the backend.
 */
export function trainStepOnTensors(model: Sequential, setup: TrainingSetup, input: Tensor, labels: Tensor): number {
  return model.engine.tidy(() => {
    const { loss, grads } = gradientPass(model, setup, input, labels);
    setup.optimizer.apply(grads, model.trainableWeights);
    return loss.item();
  });
}

/** The part of a TrainingSetup a forward pass and its loss need (no optimizer). */
export type LossSetup = Pick<TrainingSetup, 'loss'>;

/** One shard's share of a data-parallel training step, on the host. */
export interface ShardGradients extends StepResult {
  /**
   * What the shard's mean loss divides by: its sample count, or the number of unmasked steps
   * when the loss applies a mask. A batch split into shards has the loss
   * `sum(loss_s * denominator_s) / max(sum(denominator_s), 1)`, and its gradient the same
   * combination of the shards' gradients, exactly as if the batch had been one piece.
   */
  readonly denominator: number;
  /** Gradients of `model.trainableWeights`, in that order (only `gradientRows`' rows where given). */
  readonly gradients: Float32Array[];
  /**
   * Per gradient: the rows that can be nonzero, ascending, when only some can (an embedding
   * table's), and then `gradients[k]` holds just those rows, one after another; null for a
   * dense gradient. Exact either way, and a shard of a large vocabulary sends kilobytes, not
   * the whole table.
   */
  readonly gradientRows: (Int32Array | null)[];
}

/**
 * The forward pass, loss and gradients of one shard of a batch, with dropout active, and no
 * update: data-parallel training combines several shards' gradients before one optimizer step.
 * Dropout draws from `model.random` as a training step does.
 */
export function shardGradients(model: Sequential, setup: LossSetup, x: TensorData, y: TensorData): ShardGradients {
  return model.engine.tidy(() => {
    const { loss, grads, pass } = gradientPass(model, setup, ...upload(model, setup, x, y));
    let denominator = x.shape[0];
    if (pass.mask !== null) {
      denominator = 0;
      for (const kept of pass.mask.read()) denominator += kept;
    }
    const gradientRows = grads.map((gradient) => nonzeroRows(gradient) ?? null);
    const gradients = grads.map((gradient, k) => {
      const rows = gradientRows[k];
      const part = rows === null ? gradient : gather(gradient, model.engine.tensor(rows, [rows.length], 'int32'));
      return part.read() as Float32Array;
    });
    return { ...hostResult(loss, pass, setup, y), denominator, gradients, gradientRows };
  });
}

/** Forward and loss (dropout on) under the tape; returns the gradients of the trainable weights. */
function gradientPass(
  model: Sequential,
  setup: LossSetup,
  input: Tensor,
  labels: Tensor,
): { loss: Tensor; grads: Tensor[]; pass: LossPass } {
  const recorded: { pass?: LossPass } = {};
  const { value, grads } = valueAndGradients(
    model.engine,
    () => {
      recorded.pass = lossPass(model, setup, input, labels, true);
      return recorded.pass.loss;
    },
    model.trainableWeights.map((weight) => weight.value),
  );
  return { loss: value, grads, pass: recorded.pass! };
}

/** The loss and outputs of one batch at inference (no dropout, no update). */
export function evaluateStep(model: Sequential, setup: TrainingSetup, x: TensorData, y: TensorData): StepResult {
  return model.engine.tidy(() => {
    const [input, labels] = upload(model, setup, x, y);
    const pass = lossPass(model, setup, input, labels, false);
    return hostResult(pass.loss, pass, setup, y);
  });
}

interface LossPass {
  readonly loss: Tensor;
  readonly outputs: Tensor;
  readonly foldedActivation: 'softmax' | 'sigmoid' | null;
  /** The `[N, T]` mask the loss left padded steps out with, or null. */
  readonly mask: Tensor | null;
}

function upload(model: Sequential, setup: LossSetup, x: TensorData, y: TensorData): [Tensor, Tensor] {
  return [
    model.engine.tensor(x.values, x.shape, model.layers[0].inputDtype),
    model.engine.tensor(y.values, y.shape, setup.loss.labelDtype),
  ];
}

/**
 * Forward pass and loss. The final softmax / sigmoid is folded into the loss when it is the one
 * the loss can take logits of; any other folded activation is applied again here.
 */
function lossPass(model: Sequential, setup: LossSetup, input: Tensor, labels: Tensor, training: boolean): LossPass {
  const foldable = setup.loss.foldableActivation;
  const { output, foldedActivation, mask } = model.forward(input, { training, foldFinalActivation: foldable !== null });
  const fromLogits = foldedActivation !== null && foldedActivation === foldable;
  const outputs = foldedActivation !== null && !fromLogits ? applyActivation(foldedActivation, output) : output;
  return {
    loss: setup.loss.compute(outputs, labels, fromLogits, mask),
    outputs,
    foldedActivation: fromLogits ? foldedActivation : null,
    mask,
  };
}

function hostResult(loss: Tensor, pass: LossPass, setup: LossSetup, y: TensorData): StepResult {
  return {
    loss: loss.item(),
    batch: {
      outputs: pass.outputs.read() as Float32Array,
      outputShape: [...pass.outputs.shape],
      foldedActivation: pass.foldedActivation,
      labels: y.values,
      labelKind: setup.loss.labelKind,
      mask: pass.mask === null ? null : (pass.mask.read() as Float32Array),
    },
  };
}
