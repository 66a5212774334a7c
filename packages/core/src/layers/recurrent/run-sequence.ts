import { runPrimitive } from '../../autodiff/primitive.js';
import { BackendError } from '../../errors.js';
import { add, concat, mul, reshape, slice, sub } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { CellWeights, RecurrentCell } from './recurrent-cell.js';

/** Inputs of one recurrent pass over a sequence, time running forward. */
export interface SequencePass {
  /** `[N, T, I]`, already reversed by the caller for go-backwards layers. */
  readonly x: Tensor;
  /** One `[N, H]` tensor per cell state. */
  readonly initialState: readonly Tensor[];
  readonly weights: CellWeights;
  /** `[N, T]`: 1 = process the step, 0 = skip it (state carried, output 0). */
  readonly mask: Tensor | null;
  /** `[N, H]` recurrent-dropout multiplier, or null. */
  readonly recurrentMask: Tensor | null;
}

export interface SequenceResult {
  /** `[N, T, H]`; zero at masked steps. */
  readonly sequence: Tensor;
  readonly finalState: Tensor[];
}

/** `true`: require the backend's fused kernel; `false`: always loop over primitives; `auto`: fused when supported. */
export type FusedKernelChoice = boolean | 'auto';

/**
 * Runs a cell over a whole sequence. Uses the backend's fused kernel when the options allow it
 * (recurrent dropout needs a per-step multiply only the composite loop does) and falls back to
 * a loop over primitives otherwise; both compute the same numbers and both are differentiable.
 */
export function runSequence(cell: RecurrentCell, pass: SequencePass, choice: FusedKernelChoice): SequenceResult {
  const engine = pass.x.engine;
  const kernel = cell.fusedKernel(engine.backend);
  const usable = kernel !== undefined && pass.recurrentMask === null && kernel.supports(cell.cellConfig);
  if (choice === true && !usable) {
    throw new BackendError(
      `Backend '${engine.backend.name}' has no fused ${cell.kind} kernel for these options` +
        `${pass.recurrentMask === null ? '' : ' (recurrent dropout needs the composite loop)'}; use useFusedKernel: 'auto'.`,
    );
  }
  if (usable && choice !== false) return runFused(cell, pass);
  return runComposite(cell, pass);
}

function runFused(cell: RecurrentCell, pass: SequencePass): SequenceResult {
  const engine = pass.x.engine;
  const kernel = cell.fusedKernel(engine.backend)!;
  const { x, initialState, weights, mask } = pass;
  const inputs = [x, ...initialState, weights.kernel, weights.recurrentKernel];
  if (weights.bias !== null) inputs.push(weights.bias);
  if (mask !== null) inputs.push(mask);
  const forward = kernel.forward(cell.cellConfig, {
    x: x.info,
    initialState: initialState.map((state) => state.info),
    kernel: weights.kernel.info,
    recurrentKernel: weights.recurrentKernel.info,
    bias: weights.bias?.info ?? null,
    mask: mask?.info ?? null,
  });
  // The saved tensors join the current scope, so they are released with the other intermediates.
  for (const saved of forward.saved) engine.wrap(saved);
  const [sequence, ...finalState] = runPrimitive(
    engine,
    'fusedSequence',
    inputs,
    {
      kernel,
      config: cell.cellConfig,
      stateCount: initialState.length,
      hasBias: weights.bias !== null,
      hasMask: mask !== null,
      inputGradient: engine.tape?.isTracked(x) ?? false,
      forward,
    },
    () => [forward.sequence, ...forward.finalState],
  );
  return { sequence, finalState };
}

function runComposite(cell: RecurrentCell, pass: SequencePass): SequenceResult {
  const { x, weights, mask, recurrentMask } = pass;
  const [N, T, I] = x.shape;
  const H = cell.units;
  const projected = cell.projectInput(reshape(x, [N * T, I]), weights);
  const width = projected.shape[1];
  const stepsProjected = reshape(projected, [N, T, width]);
  let states = [...pass.initialState];
  const outputs: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const projectedStep = reshape(slice(stepsProjected, [0, t, 0], [N, 1, width]), [N, width]);
    const next = cell.step(projectedStep, states, weights, recurrentMask);
    if (mask === null) {
      states = next;
      outputs.push(next[0]);
    } else {
      // Skipped steps carry the state unchanged and output zero: state += m * (next - state).
      const keep = slice(mask, [0, t], [N, 1]);
      states = next.map((state, k) => add(states[k], mul(keep, sub(state, states[k]))));
      outputs.push(mul(keep, next[0]));
    }
  }
  const sequence = concat(
    outputs.map((output) => reshape(output, [N, 1, H])),
    1,
  );
  return { sequence, finalState: states };
}
