import { Engine, RandomGenerator, valueAndGradients, type ActivationName, type KernelBackend } from '@recur/core';
import { assertAllClose, measureCloseness } from './assert-close.js';
import { seedOf, type CaseRegistry } from './case-registry.js';
import { randomHostTensor, type HostTensor } from './host-tensor.js';
import {
  STATE_NAMES,
  createRecurrentLayer,
  randomRecurrentInputs,
  recurrentInputNames,
  runRecurrentLayer,
  sequenceMask,
  type RecurrentRunOptions,
} from './run-recurrent-layer.js';
import { FUSED_AGREEMENT_TOLERANCE } from './tolerances.js';

const ACTIVATIONS: readonly ActivationName[] = ['tanh', 'sigmoid', 'hard_sigmoid', 'softsign', 'relu', 'linear'];

/** One comparison of a fused sequence kernel with core's composite loop. */
export interface FusedAgreementCase {
  readonly id: string;
  readonly masked: boolean;
  readonly options: Omit<RecurrentRunOptions, 'useFusedKernel'>;
}

/**
 * For LSTM and both GRU variants: every activation pair (masked, alternating direction), plus
 * the default pair in all four combinations of masking and direction. For SimpleRNN the same
 * with its single activation.
 */
export function fusedAgreementCases(): FusedAgreementCase[] {
  const cases: FusedAgreementCase[] = [];
  const families = [
    { prefix: 'lstm', kind: 'LSTM', resetAfter: false, pairs: true },
    { prefix: 'gru-reset-after', kind: 'GRU', resetAfter: true, pairs: true },
    { prefix: 'gru-reset-before', kind: 'GRU', resetAfter: false, pairs: true },
    { prefix: 'simple-rnn', kind: 'SimpleRNN', resetAfter: false, pairs: false },
  ] as const;
  for (const { prefix, kind, resetAfter, pairs } of families) {
    const add = (
      activation: ActivationName,
      recurrentActivation: ActivationName,
      masked: boolean,
      goBackwards: boolean,
    ) => {
      const label = `${masked ? 'masked' : 'unmasked'}-${goBackwards ? 'backwards' : 'forwards'}`;
      const activations = pairs ? `${activation}-${recurrentActivation}` : activation;
      cases.push({
        id: `fused-agreement/${prefix}/${activations}/${label}`,
        masked,
        options: { kind, activation, recurrentActivation, resetAfter, goBackwards },
      });
    };
    for (const masked of [false, true])
      for (const goBackwards of [false, true]) add('tanh', 'sigmoid', masked, goBackwards);
    let index = 0;
    for (const activation of ACTIVATIONS) {
      for (const recurrentActivation of pairs ? ACTIVATIONS : (['sigmoid'] as const)) {
        const goBackwards = index++ % 2 === 1;
        if (activation !== 'tanh' || recurrentActivation !== 'sigmoid')
          add(activation, recurrentActivation, true, goBackwards);
      }
    }
  }
  return cases;
}

/** Output and gradients of one run, on the host. */
interface RunResult {
  readonly output: Float32Array;
  readonly grads: Float32Array[];
}

function runWithGradients(
  createBackend: () => KernelBackend,
  inputs: readonly HostTensor[],
  mask: HostTensor | null,
  projection: HostTensor,
  options: RecurrentRunOptions,
): RunResult {
  const engine = new Engine(createBackend());
  const upload = (tensor: HostTensor) => engine.tensor(tensor.values, tensor.shape, tensor.dtype);
  return engine.tidy(() => {
    const tensors = inputs.map(upload);
    const maskTensor = mask === null ? null : upload(mask);
    const { value, grads } = valueAndGradients(
      engine,
      () => runRecurrentLayer(engine, tensors, maskTensor, options),
      tensors,
      upload(projection),
    );
    return { output: value.read() as Float32Array, grads: grads.map((grad) => grad.read() as Float32Array) };
  });
}

function runAgreementCase(createBackend: () => KernelBackend, agreementCase: FusedAgreementCase): void {
  const random = new RandomGenerator(seedOf(agreementCase.id));
  const sizes = { batch: 4, steps: 6, inputSize: 3, units: 5 };
  const { options } = agreementCase;
  const inputs = randomRecurrentInputs(random, { ...options, useFusedKernel: false }, sizes);
  const mask = agreementCase.masked ? sequenceMask(sizes.batch, sizes.steps) : null;
  // The output sequence and every final state, flattened: N*H*(T + states) values.
  const stateCount = STATE_NAMES[options.kind].length;
  const projection = randomHostTensor(random, [sizes.batch * sizes.units * (sizes.steps + stateCount)]);
  const fused = runWithGradients(createBackend, inputs, mask, projection, { ...options, useFusedKernel: true });
  const composite = runWithGradients(createBackend, inputs, mask, projection, { ...options, useFusedKernel: false });
  assertAllClose([
    measureCloseness(
      'output sequence and final states',
      fused.output,
      composite.output,
      [fused.output.length],
      FUSED_AGREEMENT_TOLERANCE,
    ),
    ...recurrentInputNames(options.kind).map((name, k) =>
      measureCloseness(
        `gradient of ${name}`,
        fused.grads[k],
        composite.grads[k],
        inputs[k].shape,
        FUSED_AGREEMENT_TOLERANCE,
      ),
    ),
  ]);
}

/**
 * Registers the fused-versus-composite comparisons. A backend without the fused kernel of a
 * kind, or whose kernel declines the options (`supports`), gets those cases as not applicable.
 */
export function registerFusedAgreement(registry: CaseRegistry, createBackend: () => KernelBackend): void {
  const backend = createBackend();
  for (const agreementCase of fusedAgreementCases()) {
    const cell = createRecurrentLayer({ ...agreementCase.options, useFusedKernel: 'auto' }, 1).cell;
    const kernel = cell.fusedKernel(backend);
    if (kernel === undefined)
      registry.notApplicable(agreementCase.id, `the backend has no fused ${agreementCase.options.kind} kernel`);
    else if (!kernel.supports(cell.cellConfig))
      registry.notApplicable(agreementCase.id, 'the fused kernel does not support these options');
    else registry.add(agreementCase.id, () => runAgreementCase(createBackend, agreementCase));
  }
}
