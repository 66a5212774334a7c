import { Engine, valueAndGradients, type KernelBackend, type RandomGenerator, type Tensor } from '@recur/core';
import { randomHostTensor, type HostTensor } from './host-tensor.js';
import { FINITE_DIFFERENCE_NOISE_FACTOR, FINITE_DIFFERENCE_RELATIVE, FINITE_DIFFERENCE_STEP } from './tolerances.js';

/** A function of tensors whose reverse-mode gradients are checked by finite differences. */
export interface DifferentiableFunction {
  /** Float32 inputs that are differentiated; each is checked along its own random direction. */
  readonly inputs: readonly HostTensor[];
  /** Inputs that are not differentiated (indices, masks). */
  readonly constants?: readonly HostTensor[];
  /** Built with core ops from tensors holding `inputs` and `constants`, in order. */
  forward(engine: Engine, inputs: readonly Tensor[], constants: readonly Tensor[]): Tensor;
}

/** The comparison for one input along one direction. */
export interface DirectionalCheck {
  readonly input: number;
  /** `Σ grad · v` from `valueAndGradients`. */
  readonly analytic: number;
  /** `(L(x + h v) - L(x - h v)) / 2h`, from float32 evaluations summed in float64. */
  readonly numeric: number;
  /** The float32 evaluation noise of `numeric` (see tolerances.ts). */
  readonly noise: number;
  /** The allowed `|analytic - numeric|`. */
  readonly bound: number;
}

/**
 * Checks the gradient of every input of `fn` against central differences. The output is
 * projected on a random tensor P (the loss is `L = Σ P·y`, and P is the seed of the backward
 * pass), and each input is moved along a random ±1 direction v, so one scalar comparison per
 * input covers every element. The step is a power of two and the inputs are multiples of
 * 2^-16, so `x ± h v` is exact in float32.
 *
 * @example
 * const checks = checkDirectionalDerivatives(tsBackend, { inputs: [x], forward: (_, [t]) => ops.tanh(t) }, new RandomGenerator(1));
 */
export function checkDirectionalDerivatives(
  createBackend: () => KernelBackend,
  fn: DifferentiableFunction,
  random: RandomGenerator,
): DirectionalCheck[] {
  const engine = new Engine(createBackend());
  const upload = (tensor: HostTensor) => engine.tensor(tensor.values, tensor.shape, tensor.dtype);
  const h = FINITE_DIFFERENCE_STEP;
  return engine.tidy(() => {
    const constants = (fn.constants ?? []).map(upload);
    const inputs = fn.inputs.map(upload);
    const outputShape = engine.tidy(() => [...fn.forward(engine, inputs, constants).shape]);
    const projection = randomHostTensor(random, outputShape);
    const { grads } = valueAndGradients(
      engine,
      () => fn.forward(engine, inputs, constants),
      inputs,
      upload(projection),
    );

    const loss = (input: number, values: readonly number[]) =>
      engine.tidy(() => {
        const shifted = inputs.map((tensor, k) => (k === input ? upload({ ...fn.inputs[k], values }) : tensor));
        const output = fn.forward(engine, shifted, constants).read();
        let total = 0;
        let magnitude = 0;
        output.forEach((value, k) => {
          total += projection.values[k] * value;
          magnitude += Math.abs(projection.values[k] * value);
        });
        return { total, magnitude };
      });

    return fn.inputs.map((input, k) => {
      const direction = input.values.map(() => (random.uniform() < 0.5 ? -1 : 1));
      const gradient = grads[k].read();
      const analytic = direction.reduce((total, sign, j) => total + sign * gradient[j], 0);
      const plus = loss(
        k,
        input.values.map((value, j) => value + h * direction[j]),
      );
      const minus = loss(
        k,
        input.values.map((value, j) => value - h * direction[j]),
      );
      const numeric = (plus.total - minus.total) / (2 * h);
      // One float32 rounding per output element, amplified by the division by the step.
      const noise = (2 ** -24 * Math.max(plus.magnitude, minus.magnitude)) / h;
      const bound = FINITE_DIFFERENCE_RELATIVE * Math.abs(analytic) + FINITE_DIFFERENCE_NOISE_FACTOR * noise;
      return { input: k, analytic, numeric, noise, bound };
    });
  });
}

/**
 * Throws unless every directional derivative agrees. With `expectZero` the rule must give no
 * gradient (sign, step, comparisons, cast); otherwise the derivative must stand clearly above
 * the noise, so a check can never pass because the input had no effect.
 *
 * @example
 * assertDirectionalDerivatives(checkDirectionalDerivatives(tsBackend, fn, new RandomGenerator(1)), false);
 */
export function assertDirectionalDerivatives(checks: readonly DirectionalCheck[], expectZero: boolean): void {
  const problems: string[] = [];
  for (const check of checks) {
    const describe = `input ${check.input}: analytic ${check.analytic.toPrecision(6)}, finite difference ${check.numeric.toPrecision(6)}`;
    if (!(Math.abs(check.analytic - check.numeric) <= check.bound)) {
      problems.push(
        `${describe}, |difference| ${Math.abs(check.analytic - check.numeric).toExponential(2)} > allowed ${check.bound.toExponential(2)}`,
      );
    } else if (expectZero && check.analytic !== 0) {
      problems.push(`${describe}: this rule must pass no gradient, but the analytic derivative is not 0`);
    } else if (!expectZero && !(Math.abs(check.numeric) > FINITE_DIFFERENCE_NOISE_FACTOR * check.noise)) {
      problems.push(
        `${describe}: the derivative is within the evaluation noise (${check.noise.toExponential(2)}), so the check would be vacuous (suite bug)`,
      );
    }
  }
  if (problems.length > 0)
    throw new Error(`Gradient does not match central finite differences:\n  ${problems.join('\n  ')}`);
}
