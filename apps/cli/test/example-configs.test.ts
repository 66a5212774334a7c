import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { FIXTURES, runRecur, scratchFolder } from './run-recur.js';

const EXAMPLES = join(FIXTURES, '..', '..', '..', '..', 'examples');
const names = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
  .map((entry) => entry.name);

/**
 * The example's own config at a toy size: every recurrent layer and embedding a few units wide, one short epoch, a
 * small slice of text. The data section keeps its shape (dataset, slice with an open end), which
 * is what the saved model records.
 */
function tinyConfig(name: string): Record<string, unknown> {
  const config = parse(readFileSync(join(EXAMPLES, name, 'config.yaml'), 'utf8'));
  for (const layer of config.model.layers) {
    if (['LSTM', 'GRU', 'SimpleRNN'].includes(layer.kind)) layer.units = 4;
    if (typeof layer.outputDim === 'number') layer.outputDim = 4;
  }
  if (config.data.slice !== undefined) config.data.slice = [-1500];
  if (config.data.maxLength !== undefined) config.data.maxLength = 8;
  if (config.data.maxVocabulary !== undefined) config.data.maxVocabulary = 50;
  config.training.epochs = 1;
  config.training.batchSize = 256;
  config.backend = 'ts';
  return config;
}

describe('every example trains, and its saved model evaluates without the config', () => {
  it('finds the examples', () =>
    expect(names).toEqual(
      expect.arrayContaining(['demo', 'text-generation', 'sequence-classification', 'time-series']),
    ));

  it.each(names)('%s', async (name) => {
    const folder = scratchFolder();
    const config = join(folder, 'config.yaml');
    writeFileSync(config, stringify(tinyConfig(name)));
    const model = join(folder, 'model');
    // Run from examples/, where the dataset packages are installed, as the READMEs do.
    const trained = await runRecur(['train', config, '--out', model, '--json'], { cwd: EXAMPLES });
    expect(trained.code, trained.stderr).toBe(0);
    const last = JSON.parse(trained.stdout).record.epochs.at(-1);
    const evaluated = await runRecur(['evaluate', model, '--json'], { cwd: EXAMPLES });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const result = JSON.parse(evaluated.stdout);
    expect(result.samples).toBeGreaterThan(0);
    expect(result.metrics.loss).toBe(last.val_loss);
  });
});
