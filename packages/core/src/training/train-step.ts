import { valueAndGradients } from '../autodiff/gradients.js';
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
  const engine = model.engine;
  const weights = model.trainableWeights;
  return engine.tidy(() => {
    const [input, labels] = upload(model, setup, x, y);
    const recorded: { pass?: LossPass } = {};
    const { value, grads } = valueAndGradients(
      engine,
      () => {
        recorded.pass = lossPass(model, setup, input, labels, true);
        return recorded.pass.loss;
      },
      weights.map((weight) => weight.value),
    );
    setup.optimizer.apply(grads, weights);
    return hostResult(value, recorded.pass!, setup, y);
  });
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
}

function upload(model: Sequential, setup: TrainingSetup, x: TensorData, y: TensorData): [Tensor, Tensor] {
  return [model.engine.tensor(x.values, x.shape, model.layers[0].inputDtype), model.engine.tensor(y.values, y.shape, setup.loss.labelDtype)];
}

/**
 * Forward pass and loss. The final softmax / sigmoid is folded into the loss when it is the one
 * the loss can take logits of; any other folded activation is applied again here.
 */
function lossPass(model: Sequential, setup: TrainingSetup, input: Tensor, labels: Tensor, training: boolean): LossPass {
  const foldable = setup.loss.foldableActivation;
  const { output, foldedActivation, mask } = model.forward(input, { training, foldFinalActivation: foldable !== null });
  const fromLogits = foldedActivation !== null && foldedActivation === foldable;
  const outputs = foldedActivation !== null && !fromLogits ? applyActivation(foldedActivation, output) : output;
  return { loss: setup.loss.compute(outputs, labels, fromLogits, mask), outputs, foldedActivation: fromLogits ? foldedActivation : null };
}

function hostResult(loss: Tensor, pass: LossPass, setup: TrainingSetup, y: TensorData): StepResult {
  return {
    loss: loss.item(),
    batch: {
      outputs: pass.outputs.read() as Float32Array,
      outputShape: [...pass.outputs.shape],
      foldedActivation: pass.foldedActivation,
      labels: y.values,
      labelKind: setup.loss.labelKind,
    },
  };
}
