import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RecurError, Sequential, type ModelSpec } from '@recur/core';
import { CliError } from '../cli-error.js';
import { loadTrainConfig } from '../config/train-config.js';
import { prepareDataset } from '../data/prepare-dataset.js';
import { fromMetadata, type CliMetadata } from './cli-metadata.js';
import { modelFromConfig } from './model-from-config.js';

/** A model's architecture without its weights, from wherever it is described. */
export interface DescribedModel {
  readonly model: Sequential;
  readonly metadata: CliMetadata;
}

/**
 * The (unbuilt) model of a saved folder (its model.json), an `.onnx` file (the Recur spec in
 * its metadata, or the graph read by the importer), or a train config (the data is loaded to
 * fill `$vocabularySize` and `$classes`). Nothing is computed: summaries come from specs.
 *
 * @example
 * const { model } = await readModelSpec('out/demo/model');
 * console.log(model.summary());
 */
export async function readModelSpec(path: string): Promise<DescribedModel> {
  const info = await stat(path).catch(() => null);
  if (info === null)
    throw new CliError(`'${path}' does not exist: pass a model folder, an .onnx file or a train config.`);
  try {
    if (info.isDirectory()) {
      const modelJson = join(path, 'model.json');
      const text = await readFile(modelJson, 'utf8').catch(() => {
        throw new CliError(`'${path}' is not a model folder: it has no model.json.`);
      });
      const parsed = JSON.parse(text) as { spec?: ModelSpec; metadata?: Record<string, string> };
      if (parsed.spec === undefined) throw new CliError(`'${modelJson}' holds no model spec.`);
      return { model: Sequential.fromSpec(parsed.spec), metadata: fromMetadata(parsed.metadata ?? {}, `'${path}'`) };
    }
    const lower = path.toLowerCase();
    if (lower.endsWith('.onnx')) {
      const { importOnnx } = await import('@recur/onnx');
      const imported = importOnnx(await readFile(path));
      if (imported.spec === null)
        throw new CliError(`'${path}' cannot be shown as a Sequential model: ${imported.notSequentialReason}`);
      return { model: Sequential.fromSpec(imported.spec), metadata: fromMetadata(imported.metadata, `'${path}'`) };
    }
    if (/\.(ya?ml|json)$/.test(lower)) {
      const config = await loadTrainConfig(path);
      const data = await prepareDataset(config.data, config.seed);
      return {
        model: modelFromConfig(config.modelName, config.layers, data, path),
        metadata: { encoding: data.encoding },
      };
    }
  } catch (error) {
    if (error instanceof RecurError) throw new CliError(`'${path}': ${error.message}`);
    if (error instanceof SyntaxError) throw new CliError(`'${path}' is not valid JSON: ${error.message}`);
    throw error;
  }
  throw new CliError(`'${path}' is neither a model folder, an .onnx file nor a .yaml/.json config.`);
}
