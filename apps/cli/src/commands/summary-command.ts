import type { Command } from '../command.js';
import { readModelSpec } from '../model/read-model-spec.js';

/** `recur summary <model>`: the Keras-style layer table, computed from the spec alone. */
export const summaryCommand: Command = {
  name: 'summary',
  summary: 'Show the layers, output shapes and parameter counts of a model',
  usage: 'recur summary <model folder | model.onnx | config.yaml>',
  description:
    'Prints the Keras-style summary of a saved model, an exported ONNX file or a train config (without training it).',
  positionals: [1, 1],
  flags: {},
  examples: [
    'recur summary out/demo/model',
    'recur summary out/demo/model.onnx',
    'recur summary examples/time-series/config.yaml --json',
  ],
  async run([path], _flags, context) {
    const { model, metadata } = await readModelSpec(path);
    if (context.json) {
      context.emitJson({
        name: model.name,
        task: metadata.encoding?.task ?? null,
        parameters: model.parameterCount(),
        inputShape: model.inputShape,
        layers: model.summaryRows(),
      });
      return;
    }
    context.log(model.summary());
    if (metadata.encoding !== undefined) context.log(`Task: ${metadata.encoding.task}`);
  },
};
