import { SequenceStream, type GraphBackend, type ModelStream, type StreamState, type TensorData } from '@recur/core';
import { expect, it } from 'vitest';
import { assertTensorClose } from './assert-tensor-close.js';
import type { GraphModelCase } from './graph-model-cases.js';

/** Steps run before the state is read: the rest of the case's steps continue from it. */
const STEPS_BEFORE_READ = 2;

/**
 * The carried state a user saves and resumes (a conversation continued later): read after k
 * steps it equals core's `SequenceStream` state on the reference KernelBackend; set into a fresh
 * stream (from the graph backend or from core) the next steps equal an uninterrupted stream's;
 * there is none before the first step and after `reset()`, and a zero state starts like a fresh
 * stream. A misshaped state is refused with the layer and both shapes named.
 */
export function registerStreamStateCases(
  createBackend: () => GraphBackend,
  modelCases: readonly GraphModelCase[],
): void {
  const streamable = modelCases.filter((modelCase) => modelCase.steps !== null);
  for (const modelCase of streamable) {
    const steps = modelCase.steps!;
    it(`${modelCase.name}: the state after ${STEPS_BEFORE_READ} steps is core's, and a fresh stream resumes from it`, async () => {
      const model = await modelCase.create();
      const reference = new SequenceStream(model);
      const expected = steps.map((step) => reference.step(step));
      const referenceStream = new SequenceStream(model);
      for (const step of steps.slice(0, STEPS_BEFORE_READ)) referenceStream.step(step);
      const referenceState = referenceStream.getState()!;

      const compiled = await createBackend().compile(model);
      const stream = compiled.stream();
      for (const step of steps.slice(0, STEPS_BEFORE_READ)) await stream.step(step);
      const state = await stream.getState();
      expect(state).not.toBeNull();
      assertStateClose(state!, referenceState);

      for (const [origin, saved] of [
        ['this backend', state!],
        ['core', referenceState],
      ] as const) {
        const resumed = compiled.stream();
        resumed.setState(saved);
        for (let k = STEPS_BEFORE_READ; k < steps.length; k++)
          assertTensorClose(`step ${k} resumed from ${origin}'s state`, await resumed.step(steps[k]), expected[k]);
      }
      await compiled.dispose();
    });

    it(`${modelCase.name}: no state before the first step and after reset(); a zero state starts like a fresh stream`, async () => {
      const model = await modelCase.create();
      const first = new SequenceStream(model).step(steps[0]);
      const compiled = await createBackend().compile(model);
      const stream = compiled.stream();
      expect(await stream.getState()).toBeNull();
      const state = await stepsThenState(stream, steps);
      stream.reset();
      expect(await stream.getState()).toBeNull();
      assertTensorClose('first step after reset()', await stream.step(steps[0]), first);

      const zeros = compiled.stream();
      zeros.setState(mapState(state, (data) => ({ shape: data.shape, values: new Float32Array(data.values.length) })));
      assertTensorClose('first step from a zero state', await zeros.step(steps[0]), first);
      await compiled.dispose();
    });
  }

  const modelCase = streamable[0];
  if (modelCase === undefined) return;
  it(`${modelCase.name}: setState refuses a misshaped, incomplete or foreign state, naming the layer and the shapes`, async () => {
    const compiled = await createBackend().compile(await modelCase.create());
    const stream = compiled.stream();
    const state = await stepsThenState(stream, modelCase.steps!);
    const [layer, tensors] = Object.entries(state)[0];
    const [batch, units] = tensors[0].shape;

    const wider = {
      ...state,
      [layer]: tensors.map(() => ({ shape: [batch, units + 1], values: new Float32Array(batch * (units + 1)) })),
    };
    expect(() => compiled.stream().setState(wider)).toThrow(
      new RegExp(`'${layer}'.*\\[${batch}, ${units}\\].*\\[${batch}, ${units + 1}\\]`),
    );
    expect(() => compiled.stream().setState({ ...state, [layer]: [] })).toThrow(new RegExp(`'${layer}'`));
    const { [layer]: _missing, ...withoutLayer } = state;
    expect(() => compiled.stream().setState(withoutLayer)).toThrow(new RegExp(`'${layer}'`));
    expect(() => compiled.stream().setState({ ...state, no_such_layer: tensors })).toThrow(/'no_such_layer'/);
    await compiled.dispose();
  });
}

/** Runs every step, then reads the state (which the steps leave non-null). */
async function stepsThenState(stream: ModelStream, steps: readonly TensorData[]): Promise<StreamState> {
  for (const step of steps) await stream.step(step);
  const state = await stream.getState();
  if (state === null) throw new Error('getState() after steps gave null: a stream that has stepped carries a state.');
  return state;
}

function mapState(state: StreamState, map: (data: TensorData) => TensorData): StreamState {
  return Object.fromEntries(Object.entries(state).map(([layer, tensors]) => [layer, tensors.map(map)]));
}

/** Same layers, the same number of states each, every state within the forward tolerance. */
function assertStateClose(got: StreamState, expected: StreamState): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
  for (const [layer, tensors] of Object.entries(expected)) {
    expect(got[layer].length, `states of layer '${layer}'`).toBe(tensors.length);
    tensors.forEach((tensor, k) => assertTensorClose(`layer '${layer}' state ${k}`, got[layer][k], tensor));
  }
}
