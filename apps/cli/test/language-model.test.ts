import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runRecur, scratchFolder } from './run-recur.js';

const folder = scratchFolder();
const model = join(folder, 'lm');
const onnx = join(folder, 'lm.onnx');
const text = readFileSync(join(FIXTURES, 'tiny.txt'), 'utf8');
const vocabularySize = new Set(text).size;

describe('a character-level language model, as a user trains and runs it', () => {
  let trained: { code: number | null; stdout: string };

  beforeAll(async () => {
    trained = await runRecur(['train', 'text-model.yaml', '--out', model, '--plot', join(folder, 'loss.svg')]);
  });

  it('trains with plain progress lines (not a terminal), a loss chart, and saves a model folder', () => {
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(
      /Epoch 1\/2\n {2}batch \d+\/9 +\d+ samples\/s +ETA \d+:\d\d +loss \d\.\d{4} +accuracy \d\.\d{4}/,
    );
    expect(trained.stdout).not.toContain('\r');
    expect(trained.stdout).toMatch(/Loss per batch +[▁▂▃▄▅▆▇█]+/);
    expect(trained.stdout).toContain(`Model saved to ${model}`);
    for (const file of ['model.json', 'weights.safetensors']) expect(existsSync(join(model, file))).toBe(true);
    const saved = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
    const vocabulary = JSON.parse(saved.metadata.vocabulary);
    expect(vocabulary.characters).toEqual([...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
    expect(readFileSync(join(folder, 'loss.svg'), 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<polyline /);
  });

  it('summary counts parameters as Keras does', async () => {
    const run = await runRecur(['summary', model, '--json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    // Embedding V*8, LSTM 4H(I+H+1) with H=16, I=8, Dense 16V+V.
    expect(summary.parameters).toBe(vocabularySize * 8 + 4 * 16 * (8 + 16 + 1) + 17 * vocabularySize);
    expect(summary.task).toBe('language-model');
  });

  it('evaluate reproduces the validation numbers of the last epoch', async () => {
    const train = await runRecur(['train', 'text-model.yaml', '--out', join(folder, 'lm-json'), '--json']);
    const last = JSON.parse(train.stdout).record.epochs.at(-1);
    const run = await runRecur(['evaluate', join(folder, 'lm-json'), '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.metrics.loss).toBe(last.val_loss);
    expect(result.metrics.accuracy).toBe(last.val_accuracy);
  });

  it('predict lists the most probable next characters', async () => {
    const run = await runRecur(['predict', model, '--text', 'the quick', '--top-k', '3']);
    expect(run.code).toBe(0);
    const [prediction] = JSON.parse(run.stdout);
    expect(prediction.next).toHaveLength(3);
    const probabilities = prediction.next.map((entry: { probability: number }) => entry.probability);
    expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
    expect(probabilities.reduce((a: number, b: number) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-6);
  });

  it('generates the same text on backend-ts and from the exported ONNX file on ONNX Runtime', async () => {
    const exported = await runRecur(['export', model, '--format', 'onnx', '--out', onnx]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('recurrent state exposed');
    const args = ['--prompt', 'the ', '--length', '60', '--temperature', '0.5,1.0', '--seed', '3', '--json'];
    const onTs = JSON.parse((await runRecur(['generate', model, ...args])).stdout);
    const onOnnx = JSON.parse((await runRecur(['generate', onnx, ...args])).stdout);
    const onOnnxFromFolder = JSON.parse(
      (await runRecur(['generate', model, '--backend', 'onnxruntime', ...args])).stdout,
    );
    expect(onOnnx.runtime).toContain('onnxruntime');
    expect(onTs.samples).toHaveLength(2);
    expect(onTs.samples[0].text).toHaveLength(60);
    expect(onOnnx.samples).toEqual(onTs.samples);
    expect(onOnnxFromFolder.samples).toEqual(onTs.samples);
  });

  it('predicts on ONNX Runtime the next characters backend-ts predicts', async () => {
    const onTs = JSON.parse((await runRecur(['predict', model, '--text', 'the cat', '--top-k', '4'])).stdout);
    for (const run of [
      await runRecur(['predict', onnx, '--text', 'the cat', '--top-k', '4', '--json']),
      await runRecur(['predict', model, '--backend', 'onnxruntime', '--text', 'the cat', '--top-k', '4', '--json']),
    ]) {
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout);
      expect(result.runtime).toBe('onnxruntime-node');
      const [prediction] = result.predictions;
      expect(prediction.next.map((entry: { character: string }) => entry.character)).toEqual(
        onTs[0].next.map((entry: { character: string }) => entry.character),
      );
      prediction.next.forEach((entry: { probability: number }, k: number) =>
        expect(Math.abs(entry.probability - onTs[0].next[k].probability)).toBeLessThan(1e-5),
      );
    }
  });

  it('generates the same text from an export without exposed state (each step reruns the text so far)', async () => {
    const stateless = join(folder, 'lm-stateless.onnx');
    const exported = await runRecur(['export', model, '--out', stateless, '--no-expose-state']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).not.toContain('recurrent state exposed');
    const args = ['--prompt', 'the ', '--length', '30', '--temperature', '0.5', '--seed', '5', '--json'];
    const onTs = JSON.parse((await runRecur(['generate', model, ...args])).stdout);
    const replayed = JSON.parse((await runRecur(['generate', stateless, ...args])).stdout);
    expect(onTs.samples[0].text).toHaveLength(30);
    expect(replayed.samples).toEqual(onTs.samples);
  });

  it('refuses a file that is not an ONNX model, saying why', async () => {
    const broken = join(folder, 'broken.onnx');
    writeFileSync(broken, 'not a model');
    const run = await runRecur(['predict', broken, '--text', 'the']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: ONNX Runtime cannot open '.*broken\.onnx': .*not an ONNX protobuf/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('imports the ONNX file back into a model folder that predicts the same', async () => {
    const imported = join(folder, 'imported');
    const run = await runRecur(['import', onnx, '--out', imported]);
    expect(run.code).toBe(0);
    const original = JSON.parse((await runRecur(['predict', model, '--text', 'to be or'])).stdout);
    const again = JSON.parse((await runRecur(['predict', imported, '--text', 'to be or'])).stdout);
    expect(again[0].next.map((entry: { character: string }) => entry.character)).toEqual(
      original[0].next.map((entry: { character: string }) => entry.character),
    );
    again[0].next.forEach((entry: { probability: number }, k: number) =>
      expect(entry.probability).toBeCloseTo(original[0].next[k].probability, 5),
    );
  });

  it('refuses a prompt with characters outside the vocabulary, naming the flag that replaces them', async () => {
    const run = await runRecur(['generate', model, '--prompt', 'xyz€']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: The prompt does not fit the model: Character "€"/);
    expect(run.stderr).toContain("--unknown-char ' '");
    expect(run.stderr).not.toContain('{ unknown');
  });

  it('--unknown-char replaces prompt characters outside the vocabulary', async () => {
    const args = ['--length', '20', '--seed', '4', '--json'];
    const replaced = JSON.parse(
      (await runRecur(['generate', model, '--prompt', 'the€cat', '--unknown-char', ' ', ...args])).stdout,
    );
    const plain = JSON.parse((await runRecur(['generate', model, '--prompt', 'the cat', ...args])).stdout);
    expect(replaced.prompt).toBe('the cat');
    expect(replaced.samples).toEqual(plain.samples);
    const unknownToModel = await runRecur(['generate', model, '--prompt', 'the€cat', '--unknown-char', '?']);
    expect(unknownToModel.code).toBe(2);
    expect(unknownToModel.stderr).toMatch(
      /^error: --unknown-char must be one character of the model's vocabulary, got "\?"/,
    );
  });

  it('--temperature 0 is greedy decoding: the most probable character at every step, whatever the seed', async () => {
    const generate = async (...args: string[]) => {
      const run = await runRecur(['generate', model, '--prompt', 'the ', '--length', '40', '--json', ...args]);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout).samples[0].text;
    };
    const greedy = await generate('--temperature', '0', '--seed', '1');
    expect(await generate('--temperature', '0', '--seed', '2')).toBe(greedy);
    // The top 1 of the distribution is its argmax at any temperature.
    expect(await generate('--temperature', '0.7', '--top-k', '1', '--seed', '3')).toBe(greedy);
  });

  it('--top-k above the vocabulary size samples among all characters, with a note', async () => {
    const args = ['--prompt', 'the ', '--length', '40', '--seed', '6', '--json'];
    const clamped = await runRecur(['generate', model, ...args, '--top-k', '1000']);
    expect(clamped.code).toBe(0);
    expect(clamped.stderr).toContain(`note: --top-k 1000 is more than the model's ${vocabularySize} characters`);
    const whole = await runRecur(['generate', model, ...args]);
    expect(JSON.parse(clamped.stdout).samples).toEqual(JSON.parse(whole.stdout).samples);
  });
});
