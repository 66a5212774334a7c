import { readFile } from 'node:fs/promises';
import { RecurError, type Sequential } from '@recur/core';
import { saveModel } from '@recur/core/io';
import { loadKernelBackend } from '../backend-table.js';
import { CliError, UsageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { stringFlag } from '../flag-values.js';
import { readBytes } from '../inference/predict-inputs.js';
import { exportableMetadata } from '../inference/inference-model.js';
import { importTfjsLayersModel } from '../model/import-tfjs-layers.js';

/** `recur import <file.onnx | model.json> --out <folder>`: into a Recur model folder. */
export const importCommand: Command = {
  name: 'import',
  summary: 'Convert an ONNX file or a TensorFlow.js/Keras model.json into a Recur model folder',
  usage: 'recur import <file.onnx | model.json> --out <folder>',
  description: [
    'Reads an ONNX model (a Recur export, or e.g. torch.onnx.export of an LSTM stack) or a TensorFlow.js Layers',
    'model.json (tfjs.converters.save / tensorflowjs_converter, with its weight files beside it) and saves it as a',
    'Recur model folder, ready for predict, generate, evaluate, summary, export or further training.',
    'Operators or layers Recur does not support are reported by name.',
  ].join('\n'),
  positionals: [1, 1],
  flags: {
    out: { type: 'string', value: '<folder>', description: 'The model folder to write.' },
  },
  examples: ['recur import model.onnx --out imported-model', 'recur import tfjs-model/model.json --out imported-model'],
  async run([path], flags, context) {
    const out = stringFlag(flags, 'out');
    if (out === undefined) throw new UsageError('--out <folder> is required.', 'import');
    const backend = await loadKernelBackend('ts', 'import');
    let model: Sequential;
    let metadata: Record<string, string> = {};
    try {
      if (path.toLowerCase().endsWith('.onnx')) {
        const { importOnnx } = await import('@recur/onnx');
        const imported = importOnnx(await readBytes(path, 'ONNX file'));
        if (imported.spec === null)
          throw new CliError(`'${path}' cannot become a Recur Sequential model: ${imported.notSequentialReason}`);
        model = imported.toSequential({ backend, seed: context.seed ?? 42 });
        metadata = exportableMetadata(imported.metadata);
      } else if (path.toLowerCase().endsWith('.json')) {
        const parsed = JSON.parse(
          await readFile(path, 'utf8').catch(() => {
            throw new CliError(`File '${path}' does not exist.`);
          }),
        ) as unknown;
        model = await importTfjsLayersModel(parsed, path, { backend, seed: context.seed ?? 42 });
      } else {
        throw new CliError(`'${path}' is neither an .onnx file nor a model.json.`);
      }
    } catch (error) {
      if (error instanceof RecurError) throw new CliError(`Cannot import '${path}': ${error.message}`);
      if (error instanceof SyntaxError) throw new CliError(`'${path}' is not valid JSON: ${error.message}`);
      throw error;
    }
    await saveModel(model, out, { metadata });
    if (context.json)
      context.emitJson({ source: path, out, parameters: model.parameterCount(), layers: model.summaryRows() });
    else {
      context.log(model.summary());
      context.log(`Saved to ${out}.`);
    }
  },
};
