import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runRecur, scratchFolder } from './run-recur.js';

const folder = scratchFolder();

/** The fixture's values, to compute the naive baseline independently of the CLI. */
function seriesValues(): number[] {
  return readFileSync(join(FIXTURES, 'series.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(',')[1]));
}

describe('time-series forecasting from a CSV column', () => {
  const model = join(folder, 'forecaster');

  it('trains and reports validation error against the naive last-value forecast', async () => {
    const run = await runRecur(['train', 'series-model.json', '--out', model, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    // Naive forecast on the last 20% of the 146 windows of 14, in the data's units.
    const values = seriesValues();
    const windows = values.length - 14;
    const trainCount = Math.floor(windows * 0.8);
    let absolute = 0;
    for (let s = trainCount; s < windows; s++) absolute += Math.abs(values[s + 13] - values[s + 14]);
    expect(result.forecast.lastValue.mae).toBeCloseTo(absolute / (windows - trainCount), 3);
    expect(result.forecast.model.mae).toBeGreaterThan(0);
    expect(result.record.epochs).toHaveLength(3);
  });

  it('predicts the next values from a CSV, in the data units', async () => {
    const input = join(folder, 'recent.csv');
    writeFileSync(
      input,
      `day,value\n${seriesValues()
        .slice(-20)
        .map((value, k) => `${k},${value}`)
        .join('\n')}\n`,
    );
    const run = await runRecur(['predict', model, '--input', input, '--steps', '3']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.column).toBe('value');
    expect(result.forecast).toHaveLength(3);
    for (const value of result.forecast) expect(value).toBeGreaterThan(0);
  });

  it('evaluate matches the training report', async () => {
    const run = await runRecur(['evaluate', model, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).forecast.lastValue.mae).toBeGreaterThan(0);
  });

  it('refuses a series shorter than the window', async () => {
    const run = await runRecur(['predict', model, '--input', '-', '--format', 'json', '--text', '[1,2,3]']);
    expect(run.code).toBe(2);
    const short = await runRecur(['predict', model, '--text', '5']);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/forecasts from the last 14 values; the input has 1/);
  });
});

describe('sequence classification of labelled JSONL texts', () => {
  const model = join(folder, 'classifier');

  it('trains with a word vocabulary saved in the metadata and reports validation accuracy', async () => {
    const run = await runRecur(['train', 'reviews-model.yaml', '--out', model, '--json']);
    expect(run.code).toBe(0);
    const last = JSON.parse(run.stdout).record.epochs.at(-1);
    expect(last.val_accuracy).toBeGreaterThanOrEqual(0);
    expect(last.val_accuracy).toBeLessThanOrEqual(1);
    const encoding = JSON.parse(JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')).metadata.encoding);
    expect(encoding.labels).toEqual(['negative', 'positive']);
    expect(encoding.tokens.slice(0, 2)).toEqual(['<pad>', '<unk>']);
  });

  it('predicts a label with probabilities for each text line', async () => {
    const input = join(folder, 'texts.txt');
    writeFileSync(input, 'loved it, great fun\nawful and boring\n');
    const run = await runRecur(['predict', model, '--input', input]);
    expect(run.code).toBe(0);
    const predictions = JSON.parse(run.stdout);
    expect(predictions).toHaveLength(2);
    for (const prediction of predictions) {
      expect(['negative', 'positive']).toContain(prediction.label);
      expect(prediction.probabilities.negative + prediction.probabilities.positive).toBeCloseTo(1, 5);
    }
  });

  it('reads a folder with one subfolder per label', async () => {
    const data = join(folder, 'by-label');
    for (const [label, texts] of [
      ['ham', ['see you at lunch', 'meeting moved to noon', 'notes from today']],
      ['spam', ['win cash now', 'free prize claim now', 'cheap pills now']],
    ] as const) {
      texts.forEach((text, k) => {
        const path = join(data, label, `${k}.txt`);
        mkdirSync(join(data, label), { recursive: true });
        writeFileSync(path, text);
      });
    }
    const config = join(folder, 'folder.yaml');
    writeFileSync(
      config,
      `model:\n  layers:\n    - { kind: Embedding, inputDim: $vocabularySize, outputDim: 4, maskZero: true }\n    - { kind: LSTM, units: 4 }\n    - { kind: Dense, units: 1, activation: sigmoid }\ndata: { kind: labelled-text, folder: by-label, maxLength: 5, validationSplit: 0.34 }\ntraining: { loss: binary_crossentropy, metrics: [accuracy] }\n`,
    );
    const run = await runRecur(['train', config, '--out', join(folder, 'folder-model'), '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).data).toMatch(/^6 texts, labels 'ham', 'spam'/);
  });
});
