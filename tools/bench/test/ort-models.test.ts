import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { handBuiltOrtModel } from '../src/systems/hand-built-ort-model.js';
import { recurExportOrtModel } from '../src/systems/recur-export-ort-model.js';
import { WORKLOADS } from '../src/workloads.js';

// The ort runner feeds `input` and each state's input name and reads `output` and each state's
// output name: ONNX Runtime itself says which names the two stream graphs have.
describe('the stream models name what the ort runner feeds and reads', () => {
  it.each([
    ['hand-built', async () => handBuiltOrtModel('stream')],
    ['Recur export', () => recurExportOrtModel(WORKLOADS.stream)],
  ] as const)('%s: inputs, outputs and four carried states', async (_, load) => {
    const model = await load();
    const session = await ort.InferenceSession.create(model.bytes);
    expect(model.states).toHaveLength(4);
    expect([...session.inputNames].sort()).toEqual([model.input, ...model.states.map(([input]) => input)].sort());
    for (const name of [model.output, ...model.states.map(([, output]) => output)])
      expect(session.outputNames).toContain(name);
    // One step from zero state: every carried state comes back as [1, 1, 256].
    const zeros = () => new ort.Tensor('float32', new Float32Array(256), [1, 1, 256]);
    const feeds = Object.fromEntries([
      [model.input, new ort.Tensor('float32', new Float32Array(64).fill(0.5), [1, 1, 64])],
      ...model.states.map(([input]) => [input, zeros()]),
    ]);
    const out = await session.run(feeds);
    for (const [, output] of model.states) expect(out[output].dims).toEqual([1, 1, 256]);
    await session.release();
  });
});
