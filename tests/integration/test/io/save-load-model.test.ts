import * as fs from 'node:fs/promises';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tsBackend } from '@recur/backend-ts';
import { CharVocabulary, Dense, LSTM, RECUR_VERSION, Sequential, ShapeError, ValueError } from '@recur/core';
import { atomicWriteFile, loadModel, saveModel } from '@recur/core/io';

// `open` is wrapped so a test can make one write fail part-way, as a crash or a full disk would.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, open: vi.fn(actual.open) };
});

const actualFs = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');

/** The next `open` of a file whose name contains `name` writes half its bytes, then fails with EIO. */
function failNextWriteOf(name: string): void {
  vi.mocked(fs.open).mockImplementation(async (...args: Parameters<typeof actualFs.open>) => {
    const handle = await actualFs.open(...args);
    if (String(args[0]).includes(name)) {
      vi.mocked(fs.open).mockImplementation(actualFs.open);
      handle.writeFile = async (data: unknown) => {
        const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : (data as Uint8Array);
        await handle.write(bytes.subarray(0, bytes.length >> 1));
        throw Object.assign(new Error('EIO: i/o error, write (simulated crash)'), { code: 'EIO' });
      };
    }
    return handle;
  });
}

function lstmModel(seed: number): Sequential {
  return new Sequential([
    new LSTM({ units: 4, inputShape: [3, 2] }),
    new Dense({ units: 2, activation: 'softmax' }),
  ]).build({ backend: tsBackend(), seed });
}

const INPUT = [
  [
    [0.1, -0.2],
    [0.3, 0.4],
    [-0.5, 0.6],
  ],
  [
    [1, 0],
    [0, 1],
    [0.5, 0.5],
  ],
];

let directory: string;
beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), 'recur-save-')), 'model');
});
afterEach(async () => {
  vi.mocked(fs.open).mockImplementation(actualFs.open);
  await rm(join(directory, '..'), { recursive: true, force: true });
});

describe('saveModel and loadModel', () => {
  it('a loaded model predicts identically, and its metadata comes back', async () => {
    const model = lstmModel(5);
    const vocabulary = CharVocabulary.fromText('hello world');
    await saveModel(model, directory, { metadata: { vocabulary: JSON.stringify(vocabulary) } });
    expect((await readdir(directory)).sort()).toEqual(['model.json', 'weights.safetensors']);
    const { model: loaded, metadata } = await loadModel(directory, { backend: tsBackend(), seed: 123 });
    expect(loaded.predict(INPUT).values).toEqual(model.predict(INPUT).values);
    expect(loaded.spec()).toEqual(model.spec());
    expect(metadata['recur.version']).toBe(RECUR_VERSION);
    expect(CharVocabulary.fromJSON(JSON.parse(metadata.vocabulary)).decode(vocabulary.encode('hello'))).toBe('hello');
  });

  it('saving again replaces the previous model', async () => {
    await saveModel(lstmModel(5), directory);
    const second = lstmModel(6);
    await saveModel(second, directory);
    const { model: loaded } = await loadModel(directory, { backend: tsBackend() });
    expect(loaded.predict(INPUT).values).toEqual(second.predict(INPUT).values);
    expect((await readdir(directory)).sort()).toEqual(['model.json', 'weights.safetensors']);
  });

  it('saving during a crash keeps the last good model', async () => {
    const good = lstmModel(5);
    await saveModel(good, directory);
    const filesBefore = {
      model: await readFile(join(directory, 'model.json')),
      weights: await readFile(join(directory, 'weights.safetensors')),
    };

    failNextWriteOf('weights.safetensors');
    await expect(saveModel(lstmModel(6), directory, { metadata: { note: 'never saved' } })).rejects.toThrow(
      /simulated crash/,
    );

    expect(await readFile(join(directory, 'model.json'))).toEqual(filesBefore.model);
    expect(await readFile(join(directory, 'weights.safetensors'))).toEqual(filesBefore.weights);
    expect((await readdir(directory)).sort()).toEqual(['model.json', 'weights.safetensors']);
    const { model: loaded, metadata } = await loadModel(directory, { backend: tsBackend() });
    expect(loaded.predict(INPUT).values).toEqual(good.predict(INPUT).values);
    expect(metadata.note).toBeUndefined();
  });

  it('a crash after the new weights are in place leaves a loadable model with those weights', async () => {
    await saveModel(lstmModel(5), directory, { metadata: { note: 'first' } });
    const next = lstmModel(6);
    failNextWriteOf('model.json');
    await expect(saveModel(next, directory, { metadata: { note: 'second' } })).rejects.toThrow(/simulated crash/);
    const { model: loaded, metadata } = await loadModel(directory, { backend: tsBackend() });
    expect(loaded.predict(INPUT).values).toEqual(next.predict(INPUT).values);
    expect(metadata.note).toBe('first');
  });

  it('a stray temporary file from a killed save does not disturb loading', async () => {
    const model = lstmModel(5);
    await saveModel(model, directory);
    await writeFile(join(directory, '.weights.safetensors.tmp-0123456789ab'), Uint8Array.of(1, 2, 3));
    const { model: loaded } = await loadModel(directory, { backend: tsBackend() });
    expect(loaded.predict(INPUT).values).toEqual(model.predict(INPUT).values);
  });
});

describe('loadModel errors', () => {
  it('names a missing folder and a missing file', async () => {
    await expect(loadModel(directory, { backend: tsBackend() })).rejects.toThrow(
      `Model folder '${directory}' does not exist`,
    );
    await saveModel(lstmModel(5), directory);
    await rm(join(directory, 'weights.safetensors'));
    await expect(loadModel(directory, { backend: tsBackend() })).rejects.toThrow(
      `'${join(directory, 'weights.safetensors')}' is missing`,
    );
    await rm(join(directory, 'model.json'));
    await expect(loadModel(directory, { backend: tsBackend() })).rejects.toThrow(
      `'${join(directory, 'model.json')}' is missing`,
    );
  });

  it('names a path that is a file, not a folder', async () => {
    await saveModel(lstmModel(5), directory);
    const file = join(directory, 'model.json');
    await expect(loadModel(file, { backend: tsBackend() })).rejects.toThrow(`'${file}' is a file, not a model folder`);
  });

  it('names bad JSON and a file that is not a Recur model', async () => {
    await saveModel(lstmModel(5), directory);
    const path = join(directory, 'model.json');
    await writeFile(path, '{"format": "recur-saved-model", ');
    await expect(loadModel(directory, { backend: tsBackend() })).rejects.toThrow(
      new RegExp(`'${path}' is not valid JSON`),
    );
    await writeFile(path, '{"layers": []}');
    await expect(loadModel(directory, { backend: tsBackend() })).rejects.toThrow(`'${path}' is not a Recur model file`);
    await writeFile(path, '{"format": "recur-saved-model", "formatVersion": 7, "spec": {}}');
    await expect(loadModel(directory, { backend: tsBackend() })).rejects.toThrow(`'${path}' has format version 7`);
  });

  it('gives a clear error for a corrupted weights file', async () => {
    await saveModel(lstmModel(5), directory);
    const path = join(directory, 'weights.safetensors');
    const bytes = await readFile(path);
    // Data of LSTM(4) on 2 features then Dense(2), float32: lstm 4*(2*16 + 4*16 + 16) = 448 bytes,
    // dense/kernel 4*8 = 32 (ends at 480), dense/bias 8 (ends at 488). Cutting 10 bytes leaves 478.
    await writeFile(path, bytes.subarray(0, bytes.length - 10));
    await expect(loadModel(directory, { backend: tsBackend() })).rejects.toThrow(ValueError);
    await expect(loadModel(directory, { backend: tsBackend() })).rejects.toThrow(
      /is not a valid safetensors file: tensor 'dense\/kernel' ends at byte 480, past the 478 bytes of data in the file \(truncated\?\)/,
    );
    const garbled = Uint8Array.from(bytes);
    garbled.fill(0x41, 8, 24);
    await writeFile(path, garbled);
    await expect(loadModel(directory, { backend: tsBackend() })).rejects.toThrow(
      `'${path}' is not a valid safetensors file: the header must be a JSON object starting with '{'`,
    );
  });

  it('names weights whose shapes do not match the spec', async () => {
    await saveModel(lstmModel(5), directory);
    const wider = new Sequential([
      new LSTM({ units: 5, inputShape: [3, 2] }),
      new Dense({ units: 2, activation: 'softmax' }),
    ]).build({ backend: tsBackend() });
    const other = join(directory, '..', 'wider');
    await saveModel(wider, other);
    await writeFile(join(directory, 'weights.safetensors'), await readFile(join(other, 'weights.safetensors')));
    await expect(loadModel(directory, { backend: tsBackend() })).rejects.toThrow(ShapeError);
    await expect(loadModel(directory, { backend: tsBackend() })).rejects.toThrow(
      "weight 'lstm/kernel' has shape [2, 20], but the model spec needs [2, 16]",
    );
  });
});

describe('atomicWriteFile', () => {
  it('replaces a file whole and leaves the old content when the write fails', async () => {
    await fs.mkdir(directory, { recursive: true });
    const path = join(directory, 'checkpoint.bin');
    await atomicWriteFile(path, Uint8Array.of(1, 2, 3));
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    failNextWriteOf('checkpoint.bin');
    await expect(atomicWriteFile(path, Uint8Array.of(9, 9, 9, 9))).rejects.toThrow(/simulated crash/);
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    expect(await readdir(directory)).toEqual(['checkpoint.bin']);
    await atomicWriteFile(path, 'text');
    expect(await readFile(path, 'utf8')).toBe('text');
  });
});

describe('wrapped layers keep their names through save and load', () => {
  it('a Bidirectional around a named LSTM and a TimeDistributed Dense reload with the same weights', async () => {
    const { Bidirectional, TimeDistributed } = await import('@recur/core');
    const { saveModel, loadModel } = await import('@recur/core/io');
    const model = new Sequential([
      new Bidirectional({ layer: new LSTM({ name: 'encoder', units: 3, returnSequences: true, inputShape: [4, 2] }) }),
      new TimeDistributed({ layer: new Dense({ units: 2 }) }),
    ]);
    model.build({ backend: tsBackend(), seed: 11 });
    const folder = await mkdtemp(join(tmpdir(), 'recur-wrapped-'));
    try {
      await saveModel(model, folder);
      const { model: loaded } = await loadModel(folder, { backend: tsBackend() });
      expect([...loaded.getWeights().keys()]).toEqual([...model.getWeights().keys()]);
      expect([...model.getWeights().keys()]).toContain('bidirectional/forward_encoder/kernel');
      const x = [
        [
          [1, 0],
          [0, 1],
          [1, 1],
          [0.5, -0.5],
        ],
      ];
      expect(Array.from(loaded.predict(x).values)).toEqual(Array.from(model.predict(x).values));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
