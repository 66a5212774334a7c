import { Dense, Embedding, LSTM, Sequential } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';
import { graphModelCases } from '@recur/conformance';
import { exportOnnx } from '@recur/onnx';
import { describe, expect, it } from 'vitest';
import { onnxRuntimeBackend as packageBackend } from '@recur/backend-onnxruntime';
import { onnxRuntimeBackend } from '../src/node.js';
import { expectClose } from './expect-close.js';

const MODEL_CASES = graphModelCases(tsBackend);
const textCase = MODEL_CASES[0];

describe('onnxruntime-node specifics', () => {
  it('ONNX bytes without state say how to export for streaming', async () => {
    const model = await textCase.create();
    const compiled = await onnxRuntimeBackend().compile(exportOnnx(model));
    expect(() => compiled.stream()).toThrow(/exportOnnx\(model, \{ exposeState: true \}\)/);
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
    await expect(onnxRuntimeBackend().compile({ spec: model.spec(), weights })).rejects.toThrow(
      /lack lstm\/recurrent_kernel/,
    );
  });

  it('refuse an unbuilt model, a file path and bytes that are not ONNX', async () => {
    const backend = onnxRuntimeBackend();
    const unbuilt = new Sequential([new LSTM({ units: 2, inputShape: [null, 3] })]);
    await expect(backend.compile(unbuilt)).rejects.toThrow(/has no weights yet: call model.build/);
    await expect(backend.compile('model.onnx' as never)).rejects.toThrow(/got string/);
    await expect(backend.compile(Uint8Array.from([8, 1, 18, 200, 1, 7]))).rejects.toThrow(
      /truncated, corrupt, or not an ONNX protobuf/,
    );
  });

  it('check the input shape, whole-number and in-range token ids before the runtime sees them', async () => {
    const compiled = await onnxRuntimeBackend().compile(build());
    await expect(compiled.predict([1, 2, 3])).rejects.toThrow(
      "Model 'sequential' expects input of shape [None, None] (batch first) but got [3].",
    );
    await expect(compiled.predict([[1.5, 2]])).rejects.toThrow(/whole numbers/);
    await expect(compiled.predict([[1, 10]])).rejects.toThrow(
      "Layer 'embedding' (Embedding, inputDim 10): index 10 (at position 1) is outside [0, 9]: the table has 10 rows.",
    );
    // ONNX Gather would read -1 as the last row; Recur refuses it.
    await expect(compiled.predict([[-1, 2]])).rejects.toThrow(/index -1 \(at position 0\) is outside \[0, 9\]/);
  });

  it('stream steps: one time step of a batch, no padding ids, the same batch until reset()', async () => {
    const stream = (await onnxRuntimeBackend().compile(build())).stream();
    expect(() => stream.step([[1, 2]])).toThrow(
      "A step of model 'sequential' has shape [None] (one time step of a batch), got [1, 2].",
    );
    expect(() => stream.step([0])).toThrow(/cannot feed the padding id 0/);
    await stream.step([1, 2]);
    await expect(stream.step([3])).rejects.toThrow(
      'The stream carries state for a batch of 2, but this step has a batch of 1: call reset() first.',
    );
    stream.reset();
    expect((await stream.step([3])).shape).toEqual([1, 2]);
  });

  it('refuse to stream a Bidirectional model', async () => {
    const bidirectional = MODEL_CASES.find((modelCase) => modelCase.steps === null);
    const compiled = await onnxRuntimeBackend().compile(await bidirectional!.create());
    expect(compiled.streamable).toBe(false);
    expect(() => compiled.stream()).toThrow(
      "Layer 'bidirectional' (Bidirectional) needs the whole sequence and cannot run step by step.",
    );
  });

  it('say that training needs a KernelBackend, and that a disposed model is gone', async () => {
    const compiled = await onnxRuntimeBackend().compile(build());
    expect(() => (compiled as unknown as { fit(): void }).fit()).toThrow(
      /onnxruntime-node runs inference only and cannot train/,
    );
    await compiled.dispose();
    await expect(compiled.predict([[1, 2]])).rejects.toThrow(/disposed; compile the model again/);
  });
});
