import { toTensorData, type DataLike, type TensorData } from '../data/tensor-data.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import type { Sequential } from '../models/sequential.js';
import type { Loss } from './losses/loss.js';

/** Inputs and labels with the same number of samples, checked against the model and loss. */
export interface LabelledData {
  readonly x: TensorData;
  readonly y: TensorData;
}

/**
 * Converts and checks one dataset: `x` against the model's input shape, `y` against the
 * loss (shape, dtype, class ids), and their sample counts against each other. Errors name the
 * option (`names.x`, `names.y`) and the shapes involved.
 */
export function prepareData(
  model: Sequential,
  loss: Loss,
  x: DataLike,
  y: DataLike,
  names: { x: string; y: string },
): LabelledData {
  const xData = toTensorData(x, model.layers[0].inputDtype, names.x);
  const expected = model.inputShape;
  const fits = xData.shape.length === expected.length && expected.every((d, k) => d === null || d === xData.shape[k]);
  if (!fits) {
    throw new ShapeError(
      `${names.x} has shape ${formatShape(xData.shape)}, but model '${model.name}' takes input of shape ${formatShape(expected)} (samples first).`,
    );
  }
  const samples = xData.shape[0];
  if (samples === 0) throw new ValueError(`${names.x} holds no samples.`);
  const yData = toTensorData(y, loss.labelDtype, names.y);
  if (yData.shape.length === 0 || yData.shape[0] !== samples) {
    throw new ShapeError(
      `${names.x} has ${samples} samples but ${names.y} has ${yData.shape.length === 0 ? 'none (a scalar)' : yData.shape[0]} (shape ${formatShape(yData.shape)}): give one label entry per sample.`,
    );
  }
  // Unknown output sizes (batch, sequence length) are those of the input at the same axis.
  const outputShape = model.outputShape.map((d, k) => d ?? xData.shape[k]);
  loss.checkLabels(yData, outputShape, names.y);
  return { x: xData, y: yData };
}

/** Keras's validationSplit: the last `fraction` of the samples, taken before any shuffling. */
export function splitTail(data: LabelledData, fraction: number): { train: LabelledData; validation: LabelledData } {
  const samples = data.x.shape[0];
  const splitAt = Math.floor(samples * (1 - fraction));
  if (splitAt === 0 || splitAt === samples) {
    throw new ValueError(
      `fit: validationSplit ${fraction} of ${samples} samples leaves ${splitAt} for training and ${samples - splitAt} for validation; both need at least one.`,
    );
  }
  const part = (data: TensorData, begin: number, end: number): TensorData => {
    const rowSize = data.values.length / data.shape[0];
    return {
      shape: [end - begin, ...data.shape.slice(1)],
      values: data.values.subarray(begin * rowSize, end * rowSize),
    };
  };
  return {
    train: { x: part(data.x, 0, splitAt), y: part(data.y, 0, splitAt) },
    validation: { x: part(data.x, splitAt, samples), y: part(data.y, splitAt, samples) },
  };
}
