import { oneHot, resolveLoss, type Sequential, type TensorData } from '@recur/core';
import { CliError } from '../cli-error.js';
import type { Encoding, Split } from './encoding.js';

/**
 * Turns encoded data into what this model and loss take: token ids stay ids for a model
 * starting with an Embedding and become one-hot vectors otherwise (the classic Keras
 * character LSTM); class ids become one-hot for `categorical_crossentropy` and 0/1 columns for
 * `binary_crossentropy`. Combinations that cannot work fail here with the fix.
 *
 * @example
 * const train = fitDataToModel(data.train, data.encoding, model, 'sparse_categorical_crossentropy');
 */
export function fitDataToModel(split: Split, encoding: Encoding, model: Sequential, lossName: string): Split {
  checkOutputFits(encoding, model);
  return { x: modelInput(split.x, encoding, model), y: labelsForLoss(split.y, encoding, lossName) };
}

/** Encoded inputs in the form the model's first layer reads. */
export function modelInput(x: TensorData, encoding: Encoding, model: Sequential): TensorData {
  if (encoding.task === 'forecasting' || model.layers[0].inputDtype === 'int32') return x;
  return oneHot(x, symbolCount(encoding));
}

function symbolCount(encoding: Exclude<Encoding, { task: 'forecasting' }>): number {
  return encoding.task === 'language-model' ? encoding.vocabulary.characters.length : encoding.tokens.length;
}

function labelsForLoss(y: TensorData, encoding: Encoding, lossName: string): TensorData {
  const loss = resolveLoss(lossName);
  const classes =
    encoding.task === 'forecasting'
      ? 0
      : encoding.task === 'language-model'
        ? encoding.vocabulary.characters.length
        : encoding.labels.length;
  if (encoding.task === 'forecasting') {
    if (loss.labelKind !== 'regression') {
      throw new CliError(
        `Forecasting predicts numbers: 'training.loss' must be 'mse' (or 'mean_squared_error'), not '${lossName}'.`,
      );
    }
    return y;
  }
  if (lossName === 'sparse_categorical_crossentropy') return y;
  if (lossName === 'categorical_crossentropy') return oneHot(y, classes);
  if (lossName === 'binary_crossentropy') {
    if (classes !== 2)
      throw new CliError(
        `'binary_crossentropy' needs exactly two classes, the data has ${classes}: use 'sparse_categorical_crossentropy'.`,
      );
    return { shape: [y.shape[0], 1], values: Float32Array.from(y.values) };
  }
  throw new CliError(
    `The data has class labels: 'training.loss' must be 'sparse_categorical_crossentropy', 'categorical_crossentropy' or 'binary_crossentropy', not '${lossName}'.`,
  );
}

/** The model's last axis must be one number per value to forecast, or one score per class. */
function checkOutputFits(encoding: Encoding, model: Sequential): void {
  const output = model.outputShape;
  const units = output[output.length - 1];
  if (output.length !== 2) {
    throw new CliError(
      `The data does not fit the model: it needs one output per sample ([batch, units]), but the model outputs [${output.map((d) => d ?? 'batch').join(', ')}]. Set returnSequences: false on the last recurrent layer.`,
    );
  }
  if (encoding.task === 'forecasting') {
    if (units !== 1)
      throw new CliError(
        `The data does not fit the model: a forecast is one number, but the last layer has ${units} units. Set its units to 1.`,
      );
    return;
  }
  const classes = encoding.task === 'language-model' ? encoding.vocabulary.characters.length : encoding.labels.length;
  const placeholder = encoding.task === 'language-model' ? '$vocabularySize' : '$classes';
  if (units !== classes && !(classes === 2 && units === 1)) {
    throw new CliError(
      `The data does not fit the model: the data has ${classes} classes but the last layer has ${units} units. Set its units to ${classes} (or '${placeholder}').`,
    );
  }
}
