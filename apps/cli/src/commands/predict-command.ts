import { UsageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { numberFlag, stringFlag } from '../flag-values.js';
import { openInferenceModel } from '../inference/inference-model.js';
import { readPredictInput, type PredictInput } from '../inference/predict-inputs.js';
import { predictWithModel } from '../inference/predict-with-model.js';

/** `recur predict <model> --input <file>`: JSON / CSV / text in, JSON out. */
export const predictCommand: Command = {
  name: 'predict',
  summary: 'Run a model on JSON, CSV or text input; print JSON',
  usage: 'recur predict <model folder | model.onnx> (--input <file|-> | --text <text>) [options]',
  description: [
    'Runs a trained model and prints JSON. Input is read the way the model was trained:',
    '  classifier      texts (a text file, one per line, or a JSON list of strings) -> label and probabilities',
    '  forecaster      a series (CSV with the training column, a JSON list of numbers, or one number per line) -> next values',
    '  language model  texts -> the most probable next characters',
    '  other models    JSON nested arrays shaped like the model input -> raw output',
    'An .onnx file (or --backend onnxruntime) runs on ONNX Runtime.',
  ].join('\n'),
  positionals: [1, 1],
  flags: {
    input: { type: 'string', value: '<file|->', description: "Input file, or '-' for stdin." },
    text: { type: 'string', value: '<text>', description: 'One text to predict on, instead of --input.' },
    format: {
      type: 'string',
      value: '<json|csv|text>',
      description: 'Input format (default: from the file extension; text otherwise).',
    },
    steps: { type: 'string', value: '<n>', description: 'Forecasters: values to forecast ahead. Default 1.' },
    'top-k': { type: 'string', value: '<k>', description: 'Language models: next characters to list. Default 5.' },
  },
  examples: [
    'recur predict out/spam-model --text "Congratulations, you won a free cruise"',
    'recur predict out/births-model --input births.csv --steps 7',
    'echo "[[0.1],[0.2],[0.3]]" | recur predict model.onnx --input - --format json',
  ],
  async run([path], flags, context) {
    const inputPath = stringFlag(flags, 'input');
    const text = stringFlag(flags, 'text');
    if ((inputPath === undefined) === (text === undefined))
      throw new UsageError('give exactly one of --input <file|-> and --text <text>.', 'predict');
    const input: PredictInput =
      text !== undefined
        ? { format: 'text', lines: [text] }
        : await readPredictInput(inputPath!, stringFlag(flags, 'format'));
    const options = {
      steps: numberFlag(flags, 'steps', 'predict', { integer: true, min: 1 }) ?? 1,
      topK: numberFlag(flags, 'top-k', 'predict', { integer: true, min: 1 }) ?? 5,
    };
    const model = await openInferenceModel(path, context.backend, 'predict');
    try {
      const predictions = await predictWithModel(model, input, options);
      // predict's output is JSON either way; --json adds the envelope.
      if (context.json)
        context.emitJson({
          model: path,
          runtime: model.runtime,
          task: model.metadata.encoding?.task ?? null,
          predictions,
        });
      else context.stdout.write(`${JSON.stringify(predictions, null, 2)}\n`);
    } finally {
      await model.dispose();
    }
  },
};
