import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { tsBackend } from '@recur/backend-ts';
import {
  CharVocabulary,
  Dense,
  Embedding,
  LSTM,
  RECUR_VERSION,
  Sequential,
  ShapeError,
  ValueError,
  decodeSafetensors,
  encodeSafetensors,
  modelFromArtifacts,
  modelToArtifacts,
} from '@recur/core';

function charModel(): Sequential {
  return new Sequential([
    new Embedding({ inputDim: 6, outputDim: 4, inputShape: [5] }),
    new LSTM({ units: 3 }),
    new Dense({ units: 6, activation: 'softmax' }),
  ]);
}

const INPUT = [
  [1, 2, 3, 4, 5],
  [0, 5, 5, 1, 2],
];

describe('model artifacts', () => {
  it('hold the spec, Keras-named weights in safetensors and the metadata with the Recur version', () => {
    const model = charModel().build({ backend: tsBackend(), seed: 3 });
    const vocabulary = CharVocabulary.fromText('abcde ');
    const artifacts = modelToArtifacts(model, { metadata: { vocabulary: JSON.stringify(vocabulary) } });
    expect(artifacts.spec).toEqual(model.spec());
    expect(artifacts.metadata).toEqual({ vocabulary: JSON.stringify(vocabulary), 'recur.version': RECUR_VERSION });
    const { tensors } = decodeSafetensors(artifacts.weights);
    expect([...tensors.keys()]).toEqual([
      'embedding/embeddings',
      'lstm/kernel',
      'lstm/recurrent_kernel',
      'lstm/bias',
      'dense/kernel',
      'dense/bias',
    ]);
    expect(tensors.get('lstm/kernel')!.shape).toEqual([4, 12]);
    expect(tensors).toEqual(model.getWeights());
    expect(CharVocabulary.fromJSON(JSON.parse(artifacts.metadata.vocabulary)).characters).toEqual(
      vocabulary.characters,
    );
  });

  it('rebuild a model that predicts bit-identically, whatever seed the rebuild uses', () => {
    const model = charModel().build({ backend: tsBackend(), seed: 3 });
    const artifacts = modelToArtifacts(model);
    // The spec goes through JSON text, as it does in a file.
    const throughJson = { ...artifacts, spec: JSON.parse(JSON.stringify(artifacts.spec)) };
    const rebuilt = modelFromArtifacts(throughJson, { backend: tsBackend(), seed: 99 });
    const fresh = charModel().build({ backend: tsBackend(), seed: 99 });
    expect(rebuilt.predict(INPUT).values).toEqual(model.predict(INPUT).values);
    expect(fresh.predict(INPUT).values).not.toEqual(model.predict(INPUT).values);
  });

  it('refuse weights from another architecture, naming the weight', () => {
    const model = charModel().build({ backend: tsBackend(), seed: 3 });
    const { spec, metadata } = modelToArtifacts(model);
    const weights = model.getWeights();
    const withWrongShape = new Map(weights);
    withWrongShape.set('lstm/bias', { shape: [8], values: new Float32Array(8) });
    expect(() =>
      modelFromArtifacts({ spec, metadata, weights: encodeSafetensors(withWrongShape) }, { backend: tsBackend() }),
    ).toThrow(ShapeError);
    expect(() =>
      modelFromArtifacts({ spec, metadata, weights: encodeSafetensors(withWrongShape) }, { backend: tsBackend() }),
    ).toThrow("weight 'lstm/bias' has shape [8], but the model spec needs [12]");
    const withoutBias = new Map(weights);
    withoutBias.delete('dense/bias');
    expect(() =>
      modelFromArtifacts({ spec, metadata, weights: encodeSafetensors(withoutBias) }, { backend: tsBackend() }),
    ).toThrow(/lacks weight\(s\) dense\/bias/);
    const withExtra = new Map(weights).set('gru/kernel', { shape: [1], values: new Float32Array(1) });
    expect(() =>
      modelFromArtifacts({ spec, metadata, weights: encodeSafetensors(withExtra) }, { backend: tsBackend() }),
    ).toThrow(/holds weight\(s\) gru\/kernel that model 'sequential' does not have/);
    const intWeights = new Map(weights).set('dense/bias', { shape: [6], values: new Int32Array(6) });
    expect(() =>
      modelFromArtifacts({ spec, metadata, weights: encodeSafetensors(intWeights) }, { backend: tsBackend() }),
    ).toThrow(/'dense\/bias' is stored as I32/);
  });

  it('refuse a model that has no weights yet', () => {
    expect(() => modelToArtifacts(charModel())).toThrow(
      "Model 'sequential' has no weights to save yet: call model.build({ backend })",
    );
  });

  it('refuse metadata values that are not strings', () => {
    const model = charModel().build({ backend: tsBackend(), seed: 3 });
    expect(() => modelToArtifacts(model, { metadata: { epochs: 3 } as unknown as Record<string, string> })).toThrow(
      ValueError,
    );
    expect(() => modelToArtifacts(model, { metadata: { epochs: 3 } as unknown as Record<string, string> })).toThrow(
      /'epochs' is number/,
    );
  });

  it('record the version of package.json', () => {
    const manifest = JSON.parse(
      readFileSync(createRequire(import.meta.url).resolve('@recur/core/package.json'), 'utf8'),
    ) as { version: string };
    expect(RECUR_VERSION).toBe(manifest.version);
  });
});
