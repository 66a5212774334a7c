import { Dense, Embedding, LSTM, SequenceStream, Sequential } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';
import { exportOnnx } from '@recur/onnx';
import { describe, expect, it } from 'vitest';
import { onnxRuntimeBackend as packageBackend } from '@recur/backend-onnxruntime';
import { onnxRuntimeBackend } from '../src/node.js';
import { expectClose } from './expect-close.js';
import { MODEL_CASES } from './model-cases.js';

const textCase = MODEL_CASES[0];

describe('compile takes every form a Recur model is kept in', () => {
  it('{ spec, weights } (a Map or a plain object) gives the model its weights', async () => {
    const model = await textCase.create();
    const expected = model.predict(textCase.x);
    for (const weights of [model.getWeights(), Object.fromEntries(model.getWeights())]) {
      const compiled = await onnxRuntimeBackend().compile({ spec: model.spec(), weights });
      expectClose(await compiled.predict(textCase.x), expected);
      await compiled.dispose();
    }
  });

  it('ONNX bytes exported with exposeState predict and stream', async () => {
    const model = await textCase.create();
    const compiled = await onnxRuntimeBackend().compile(exportOnnx(model, { exposeState: true }));
    expectClose(await compiled.predict(textCase.x), model.predict(textCase.x));
    const reference = new SequenceStream(model);
    const stream = compiled.stream();
    for (const step of textCase.steps ?? []) expectClose(await stream.step(step), reference.step(step));
  });

  it('ONNX bytes without state predict, and stream() says how to export for streaming', async () => {
    const model = await textCase.create();
    const compiled = await onnxRuntimeBackend().compile(exportOnnx(model));
    expectClose(await compiled.predict(textCase.x), model.predict(textCase.x));
    expect(() => compiled.stream()).toThrow(/exportOnnx\(model, \{ exposeState: true \}\)/);
  });

  it('describe the graph: its data input, its metadata, and whether it streams', async () => {
    const model = await textCase.create();
    const vocabulary = ['<pad>', ...'abcdefghijk'];
    const bytes = exportOnnx(model, { exposeState: true, inputName: 'token_ids', vocabulary, metadata: { task: 'topics' } });
    const compiled = await onnxRuntimeBackend().compile(bytes);
    // Token ids for the Embedding, batch and time free.
    expect(compiled.input).toEqual({ name: 'token_ids', dtype: 'int32', shape: [null, null] });
    expect(compiled.metadata.task).toBe('topics');
    expect(JSON.parse(compiled.metadata['recur.vocabulary'])).toEqual(vocabulary);
    expect(JSON.parse(compiled.metadata['recur.model_spec'])).toEqual(model.spec());
    expect(compiled.streamable).toBe(true);
    await compiled.dispose();

    const stateless = await onnxRuntimeBackend().compile(exportOnnx(model));
    expect(stateless.streamable).toBe(false);
    const direct = await onnxRuntimeBackend().compile(model);
    expect(direct.metadata).toEqual({});
    expect(direct.streamable).toBe(true);
    // The stacked LSTM reads [batch, time, 3] features; the exporter's default input name is 'input'.
    const features = await onnxRuntimeBackend().compile(await MODEL_CASES[1].create());
    expect(features.input).toEqual({ name: 'input', dtype: 'float32', shape: [null, null, 3] });
    await Promise.all([stateless.dispose(), direct.dispose(), features.dispose()]);
  });

  it('the package name resolves to the onnxruntime-node entry under the "node" condition', async () => {
    const model = await textCase.create();
    const backend = packageBackend();
    expect(backend.name).toBe('onnxruntime-node');
    expectClose(await (await backend.compile(model)).predict(textCase.x), model.predict(textCase.x));
  });
});

describe('clear errors', () => {
  const build = () =>
    new Sequential([
      new Embedding({ inputDim: 10, outputDim: 3, maskZero: true, inputShape: [null] }),
      new LSTM({ units: 4 }),
      new Dense({ units: 2, activation: 'softmax' }),
    ]).build({ backend: tsBackend(), seed: 1 });

  it('name the missing weights of { spec, weights }', async () => {
    const model = build();
    const weights = model.getWeights();
    weights.delete('lstm/recurrent_kernel');
    await expect(onnxRuntimeBackend().compile({ spec: model.spec(), weights })).rejects.toThrow(/lack lstm\/recurrent_kernel/);
  });

  it('refuse an unbuilt model, a file path and bytes that are not ONNX', async () => {
    const backend = onnxRuntimeBackend();
    const unbuilt = new Sequential([new LSTM({ units: 2, inputShape: [null, 3] })]);
    await expect(backend.compile(unbuilt)).rejects.toThrow(/has no weights yet: call model.build/);
    await expect(backend.compile('model.onnx' as never)).rejects.toThrow(/got string/);
    await expect(backend.compile(Uint8Array.from([8, 1, 18, 200, 1, 7]))).rejects.toThrow(/truncated, corrupt, or not an ONNX protobuf/);
  });

  it('check the input shape, whole-number and in-range token ids before the runtime sees them', async () => {
    const compiled = await onnxRuntimeBackend().compile(build());
    await expect(compiled.predict([1, 2, 3])).rejects.toThrow("Model 'sequential' expects input of shape [None, None] (batch first) but got [3].");
    await expect(compiled.predict([[1.5, 2]])).rejects.toThrow(/whole numbers/);
    await expect(compiled.predict([[1, 10]])).rejects.toThrow("Layer 'embedding' (Embedding, inputDim 10): index 10 (at position 1) is outside [0, 9]: the table has 10 rows.");
    // ONNX Gather would read -1 as the last row; Recur refuses it.
    await expect(compiled.predict([[-1, 2]])).rejects.toThrow(/index -1 \(at position 0\) is outside \[0, 9\]/);
  });

  it('stream steps: one time step of a batch, no padding ids, the same batch until reset()', async () => {
    const stream = (await onnxRuntimeBackend().compile(build())).stream();
    expect(() => stream.step([[1, 2]])).toThrow("A step of model 'sequential' has shape [None] (one time step of a batch), got [1, 2].");
    expect(() => stream.step([0])).toThrow(/cannot feed the padding id 0/);
    await stream.step([1, 2]);
    await expect(stream.step([3])).rejects.toThrow('The stream carries state for a batch of 2, but this step has a batch of 1: call reset() first.');
    stream.reset();
    expect((await stream.step([3])).shape).toEqual([1, 2]);
  });

  it('refuse to stream a Bidirectional model', async () => {
    const bidirectional = MODEL_CASES.find((modelCase) => modelCase.steps === null);
    const compiled = await onnxRuntimeBackend().compile(await bidirectional!.create());
    expect(compiled.streamable).toBe(false);
    expect(() => compiled.stream()).toThrow("Layer 'bidirectional' (Bidirectional) needs the whole sequence and cannot run step by step.");
  });

  it('say that training needs a KernelBackend, and that a disposed model is gone', async () => {
    const compiled = await onnxRuntimeBackend().compile(build());
    expect(() => (compiled as unknown as { fit(): void }).fit()).toThrow(/onnxruntime-node runs inference only and cannot train/);
    await compiled.dispose();
    await expect(compiled.predict([[1, 2]])).rejects.toThrow(/disposed; compile the model again/);
  });
});
