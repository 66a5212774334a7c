import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runRecur, scratchFolder } from './run-recur.js';

/** An error is one line on stderr, no stack frames, and a non-zero exit. */
function expectCleanError(run: { code: number | null; stderr: string }, code: number, pattern: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stderr).toMatch(/^error: /);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('help', () => {
  it('lists every command with examples', async () => {
    const run = await runRecur(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['train', 'evaluate', 'predict', 'generate', 'summary', 'export', 'import', 'bench'])
      expect(run.stdout).toContain(`  ${command} `);
    expect(run.stdout).toContain('Examples:');
  });

  it('every command has --help with options and examples', async () => {
    for (const command of ['train', 'evaluate', 'predict', 'generate', 'summary', 'export', 'import', 'bench']) {
      const run = await runRecur([command, '--help']);
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toContain(`Usage: recur ${command}`);
      expect(run.stdout, command).toContain('--backend');
      expect(run.stdout, command).toMatch(/Examples:\n {2}recur /);
    }
  });
});

describe('errors', () => {
  it('a missing config file is one clear line and exit 1', async () => {
    expectCleanError(
      await runRecur(['train', 'no-such-config.yaml']),
      1,
      /Config file 'no-such-config.yaml' does not exist/,
    );
  });

  it('a bad config field names the field and what is allowed', async () => {
    const folder = scratchFolder();
    const config = join(folder, 'bad.yaml');
    writeFileSync(
      config,
      'model:\n  layers: [{ kind: LSTM, units: 4 }]\ndata:\n  kind: txt\n  file: x.txt\ntraining:\n  loss: mse\n',
    );
    expectCleanError(
      await runRecur(['train', config]),
      1,
      /'data.kind' must be one of 'text', 'series', 'labelled-text'; got 'txt'/,
    );
  });

  it('an unknown config field names the allowed ones', async () => {
    const folder = scratchFolder();
    const config = join(folder, 'bad.json');
    writeFileSync(config, JSON.stringify({ model: { layers: [] }, data: {}, training: {}, epocs: 3 }));
    expectCleanError(
      await runRecur(['train', config]),
      1,
      /unknown field 'epocs'. Allowed: model, data, training, backend, seed, output/,
    );
  });

  it('a bad layer option is reported with its layer', async () => {
    const folder = scratchFolder();
    const config = join(folder, 'bad.yaml');
    writeFileSync(join(folder, 'text.txt'), 'abcabcabcabcabcabcabcabcabcabcabcabc');
    writeFileSync(
      config,
      'model:\n  layers:\n    - { kind: LSTM, unit: 4 }\n    - { kind: Dense, units: $vocabularySize, activation: softmax }\ndata: { kind: text, file: text.txt, sequenceLength: 5 }\ntraining: { loss: sparse_categorical_crossentropy }\n',
    );
    expectCleanError(
      await runRecur(['train', config]),
      1,
      /'model.layers' is not a valid model: .*unknown option 'unit'. Did you mean 'units'\?/,
    );
  });

  it('data that does not fit the model says what to change', async () => {
    const folder = scratchFolder();
    const config = join(folder, 'small-embedding.yaml');
    writeFileSync(join(folder, 'text.txt'), 'the cat sat on the mat. the dog sat on the log. '.repeat(4));
    writeFileSync(
      config,
      'model:\n  layers:\n    - { kind: Embedding, inputDim: 5, outputDim: 4 }\n    - { kind: LSTM, units: 4 }\n    - { kind: Dense, units: 5, activation: softmax }\ndata: { kind: text, file: text.txt, sequenceLength: 8 }\ntraining: { loss: sparse_categorical_crossentropy }\n',
    );
    expectCleanError(
      await runRecur(['train', config]),
      1,
      /The data does not fit the model: the vocabulary has 14 entries but 'model.layers\[0\].inputDim' is 5/,
    );
  });

  it('a final layer of the wrong width is data that does not fit', async () => {
    const folder = scratchFolder();
    const config = join(folder, 'wide.json');
    writeFileSync(
      join(folder, 'series.csv'),
      `t,v\n${Array.from({ length: 40 }, (_, k) => `${k},${k % 5}`).join('\n')}\n`,
    );
    writeFileSync(
      config,
      JSON.stringify({
        model: {
          layers: [
            { kind: 'LSTM', units: 4 },
            { kind: 'Dense', units: 3 },
          ],
        },
        data: { kind: 'series', file: 'series.csv', column: 'v', window: 5 },
        training: { loss: 'mse' },
      }),
    );
    expectCleanError(await runRecur(['train', config]), 1, /a forecast is one number, but the last layer has 3 units/);
  });

  it('an unknown backend lists the known ones', async () => {
    expectCleanError(
      await runRecur(['train', 'text-model.yaml', '--backend', 'cuda']),
      1,
      /Unknown backend 'cuda'. Use one of: ts, ts-wasm, tfjs, tfjs-wasm, tfjs-cpu, onnxruntime/,
    );
  });

  it('onnxruntime cannot train', async () => {
    expectCleanError(
      await runRecur(['train', 'text-model.yaml', '--backend', 'onnxruntime']),
      1,
      /--backend onnxruntime runs inference only .* needs a backend that computes gradients: ts or tfjs/,
    );
  });

  it('evaluate on onnxruntime points to the kernel backends', async () => {
    expectCleanError(
      await runRecur(['evaluate', 'no-such-model', '--backend', 'onnxruntime']),
      1,
      /--backend onnxruntime runs inference only \(predict, generate\); 'evaluate' computes its loss and metrics on a kernel backend: ts or tfjs/,
    );
  });

  it('a missing model is one line', async () => {
    expectCleanError(
      await runRecur(['predict', 'no-such-model', '--text', 'hi']),
      1,
      /Model 'no-such-model' does not exist/,
    );
  });

  it('usage mistakes exit with 2 and point to --help', async () => {
    expectCleanError(await runRecur(['trian']), 2, /Unknown command 'trian'/);
    expectCleanError(
      await runRecur(['train', 'text-model.yaml', '--epoch', '3']),
      2,
      /Unknown option '--epoch'[\s\S]*recur train --help/,
    );
    expectCleanError(
      await runRecur(['train', 'text-model.yaml', '--epochs', 'three']),
      2,
      /--epochs must be an integer >= 1, got 'three'/,
    );
    expectCleanError(await runRecur(['train']), 2, /takes 1 argument, got 0/);
  });

  it('--verbose adds the stack trace; --json adds a JSON error', async () => {
    const verbose = await runRecur(['train', 'no-such-config.yaml', '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
    const json = await runRecur(['train', 'no-such-config.yaml', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ error: "Config file 'no-such-config.yaml' does not exist." });
  });
});

describe('version', () => {
  it('--version prints the package version', async () => {
    const packageJson = JSON.parse(readFileSync(join(FIXTURES, '..', '..', 'package.json'), 'utf8'));
    const run = await runRecur(['--version']);
    expect(run.stdout.trim()).toBe(packageJson.version);
  });
});

describe('global flags before the command', () => {
  it('are taken as if they followed it', async () => {
    expectCleanError(await runRecur(['--backend', 'cuda', 'train', 'text-model.yaml']), 1, /Unknown backend 'cuda'/);
    const folder = scratchFolder();
    const before = await runRecur([
      '--json',
      '--seed=3',
      '--backend',
      'ts',
      'train',
      'text-model.yaml',
      '--out',
      join(folder, 'before'),
      '--epochs',
      '1',
    ]);
    const after = await runRecur([
      'train',
      'text-model.yaml',
      '--out',
      join(folder, 'after'),
      '--epochs',
      '1',
      '--json',
      '--seed=3',
      '--backend',
      'ts',
    ]);
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout).record.epochs).toEqual(JSON.parse(after.stdout).record.epochs);
    expect(
      readFileSync(join(folder, 'before', 'weights.safetensors')).equals(
        readFileSync(join(folder, 'after', 'weights.safetensors')),
      ),
    ).toBe(true);
  });

  it('need a command after them', async () => {
    expectCleanError(await runRecur(['--backend', 'ts']), 2, /'--backend ts' needs a command after it/);
  });
});

describe('--plot', () => {
  it('refuses a file name that is not .svg before training, naming the path and the fix', async () => {
    const folder = scratchFolder();
    const run = await runRecur([
      'train',
      'text-model.yaml',
      '--out',
      join(folder, 'model'),
      '--plot',
      join(folder, 'loss.png'),
    ]);
    expectCleanError(
      run,
      2,
      /--plot writes an SVG image, so '.*loss\.png' must end in \.svg \(e\.g\. --plot .*loss\.svg\)/,
    );
    expect(run.stdout).toBe('');
    expect(existsSync(join(folder, 'model'))).toBe(false);
  });
});

describe('a Bidirectional layer in a config', () => {
  const layers = (wrapped: string) =>
    `model:\n  layers:\n    - { kind: Embedding, inputDim: $vocabularySize, outputDim: 4 }\n    - { kind: Bidirectional, layer: ${wrapped} }\n    - { kind: Dense, units: $vocabularySize, activation: softmax }\n`;
  const rest = `data: { kind: text, file: ${join(FIXTURES, 'tiny.txt')}, sequenceLength: 8, step: 8 }\ntraining: { epochs: 1, batchSize: 32, loss: sparse_categorical_crossentropy }\nseed: 5\n`;

  it('takes the wrapped layer inline as any other layer, the same model as the spec form', async () => {
    const folder = scratchFolder();
    writeFileSync(join(folder, 'inline.yaml'), layers('{ kind: LSTM, units: 4 }') + rest);
    writeFileSync(join(folder, 'spec.yaml'), layers('{ kind: LSTM, config: { units: 4 } }') + rest);
    const inline = await runRecur(['train', join(folder, 'inline.yaml'), '--out', join(folder, 'inline')]);
    expect(inline.code, inline.stderr).toBe(0);
    expect((await runRecur(['train', join(folder, 'spec.yaml'), '--out', join(folder, 'spec')])).code).toBe(0);
    expect(
      readFileSync(join(folder, 'inline', 'weights.safetensors')).equals(
        readFileSync(join(folder, 'spec', 'weights.safetensors')),
      ),
    ).toBe(true);
    expect(JSON.parse(readFileSync(join(folder, 'inline', 'model.json'), 'utf8')).spec.layers[1].kind).toBe(
      'Bidirectional',
    );
  });

  it('names the missing field of the wrapped layer by its path', async () => {
    const folder = scratchFolder();
    writeFileSync(join(folder, 'no-units.yaml'), layers('{ kind: LSTM }') + rest);
    expectCleanError(
      await runRecur(['train', join(folder, 'no-units.yaml')]),
      1,
      /'model\.layers\[1\]\.layer\.units' is required for a LSTM layer/,
    );
    writeFileSync(
      join(folder, 'no-layer.yaml'),
      layers('{ kind: LSTM }').replace(', layer: { kind: LSTM }', '') + rest,
    );
    expectCleanError(
      await runRecur(['train', join(folder, 'no-layer.yaml')]),
      1,
      /'model\.layers\[1\]\.layer' is required for a Bidirectional layer, e\.g\. layer: \{ kind: LSTM, units: 64 \}/,
    );
  });
});
