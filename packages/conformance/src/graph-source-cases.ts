import { SequenceStream, type GraphBackend } from '@recur/core';
import { exportOnnx } from '@recur/onnx';
import { expect, it } from 'vitest';
import { assertTensorClose } from './assert-tensor-close.js';
import type { GraphModelCase } from './graph-model-cases.js';

/**
 * `compile` takes every form a Recur model is kept in (`GraphSource`): `{ spec, weights }` with a
 * Map or a plain object, ONNX bytes with their state exposed (predict and stream) and without
 * (predict only), and the compiled model describes its graph: data input, metadata, streamable.
 * `textCase` starts with a token Embedding; `featureCase` reads float features.
 */
export function registerGraphSourceCases(
  createBackend: () => GraphBackend,
  textCase: GraphModelCase,
  featureCase: GraphModelCase,
): void {
  it('{ spec, weights } (a Map or a plain object) gives the model its weights', async () => {
    const model = await textCase.create();
    const expected = model.predict(textCase.x);
    for (const weights of [model.getWeights(), Object.fromEntries(model.getWeights())]) {
      const compiled = await createBackend().compile({ spec: model.spec(), weights });
      assertTensorClose('predict', await compiled.predict(textCase.x), expected);
      await compiled.dispose();
    }
  });

  it('ONNX bytes exported with exposeState predict and stream', async () => {
    const model = await textCase.create();
    const compiled = await createBackend().compile(exportOnnx(model, { exposeState: true }));
    assertTensorClose('predict', await compiled.predict(textCase.x), model.predict(textCase.x));
    const reference = new SequenceStream(model);
    const stream = compiled.stream();
    for (const [k, step] of (textCase.steps ?? []).entries())
      assertTensorClose(`step ${k}`, await stream.step(step), reference.step(step));
    await compiled.dispose();
  });

  it('ONNX bytes without state predict, and are not streamable', async () => {
    const model = await textCase.create();
    const compiled = await createBackend().compile(exportOnnx(model));
    assertTensorClose('predict', await compiled.predict(textCase.x), model.predict(textCase.x));
    expect(compiled.streamable).toBe(false);
    expect(() => compiled.stream()).toThrow();
    await compiled.dispose();
  });

  it('describe the graph: its data input, its metadata, and whether it streams', async () => {
    const model = await textCase.create();
    const vocabulary = ['<pad>', ...'abcdefghijk'];
    const bytes = exportOnnx(model, {
      exposeState: true,
      inputName: 'token_ids',
      vocabulary,
      metadata: { task: 'topics' },
    });
    const compiled = await createBackend().compile(bytes);
    // Token ids for the Embedding, batch and time free.
    expect(compiled.input).toEqual({ name: 'token_ids', dtype: 'int32', shape: [null, null] });
    expect(compiled.metadata.task).toBe('topics');
    expect(JSON.parse(compiled.metadata['recur.vocabulary'])).toEqual(vocabulary);
    expect(JSON.parse(compiled.metadata['recur.model_spec'])).toEqual(model.spec());
    expect(compiled.streamable).toBe(true);
    await compiled.dispose();

    const direct = await createBackend().compile(model);
    expect(direct.metadata).toEqual({});
    expect(direct.streamable).toBe(true);
    // Three float features per step; the exporter's default input name is 'input'.
    const features = await createBackend().compile(await featureCase.create());
    expect(features.input).toEqual({ name: 'input', dtype: 'float32', shape: [null, null, 3] });
    await Promise.all([direct.dispose(), features.dispose()]);
  });
}
