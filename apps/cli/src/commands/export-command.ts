import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RecurError } from '@recur/core';
import { loadKernelBackend } from '../backend-table.js';
import { CliError, UsageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { stringFlag } from '../flag-values.js';
import { canStream, exportableMetadata, loadSavedModel } from '../inference/inference-model.js';
import { fromMetadata } from '../model/cli-metadata.js';

/** `recur export <folder> --format onnx --out <file.onnx>`. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a saved model to ONNX',
  usage: 'recur export <model folder> --format onnx --out <file.onnx> [--no-expose-state]',
  description: [
    'Writes the model as a standard ONNX file (LSTM operators, opset 17) that ONNX Runtime runs in Node, browsers',
    'and servers. The metadata (vocabulary, scaling, labels, model spec) goes into the file, so it describes itself.',
    'Recurrent state is exposed as inputs and outputs (state_in.* / state_out.*) when every layer can stream, so',
    "'recur generate' can run one character per step; --no-expose-state leaves a plain input -> output graph.",
  ].join('\n'),
  positionals: [1, 1],
  flags: {
    format: { type: 'string', value: '<onnx>', description: 'Export format; onnx (the default and only one).' },
    out: { type: 'string', value: '<file.onnx>', description: 'Where to write the file.' },
    'expose-state': {
      type: 'boolean',
      description: 'Expose recurrent state for step-by-step runs (default when possible).',
    },
  },
  examples: [
    'recur export out/demo/model --format onnx --out out/demo/model.onnx',
    'recur export out/births-model --out births.onnx --no-expose-state',
  ],
  async run([path], flags, context) {
    const format = stringFlag(flags, 'format') ?? 'onnx';
    if (format !== 'onnx')
      throw new UsageError(`--format must be 'onnx' (the only export format), got '${format}'.`, 'export');
    const out = stringFlag(flags, 'out');
    if (out === undefined) throw new UsageError('--out <file.onnx> is required.', 'export');
    const { model, metadata } = await loadSavedModel(path, await loadKernelBackend('ts', 'export'));
    const exposeState = flags['expose-state'] !== false && canStream(model);
    const { exportOnnx } = await import('@recur/onnx');
    const encoding = fromMetadata(metadata, `'${path}'`).encoding;
    let bytes: Uint8Array;
    try {
      bytes = exportOnnx(model, {
        exposeState,
        vocabulary:
          encoding?.task === 'language-model'
            ? encoding.vocabulary.characters
            : encoding?.task === 'classification'
              ? encoding.tokens
              : undefined,
        metadata: exportableMetadata(metadata),
      });
    } catch (error) {
      if (error instanceof RecurError) throw new CliError(`Cannot export '${path}' to ONNX: ${error.message}`);
      throw error;
    }
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, bytes);
    if (context.json) context.emitJson({ model: path, out, bytes: bytes.length, exposeState });
    else
      context.log(
        `Wrote ${out} (${(bytes.length / 1024).toFixed(1)} KB, ONNX opset 17${exposeState ? ', recurrent state exposed' : ''}).`,
      );
  },
};
