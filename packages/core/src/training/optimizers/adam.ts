import { checkOptionNames, rate } from '../../option-checks.js';
import type { AdamStepScalars } from '../../backend/kernel-backend.js';
import type { Variable } from '../../variables/variable.js';
import { adamStep, adamStepRows, type AdamStepResult } from './adam-step.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  OPTIMIZER_OPTION_NAMES,
  Optimizer,
  type OptimizerOptions,
  type SlotSpec,
  type UpdateTarget,
} from './optimizer.js';
import { positiveNumber } from './positive-number.js';

export interface AdamOptions extends OptimizerOptions {
  /** Default 0.001. */
  readonly learningRate?: number;
  /** Decay of the first moment. Default 0.9. */
  readonly beta1?: number;
  /** Decay of the second moment. Default 0.999. */
  readonly beta2?: number;
  /** Default 1e-7. */
  readonly epsilon?: number;
  /** Use the running maximum of the second moment (AMSGrad). Default false. */
  readonly amsgrad?: boolean;
}

export const ADAM_OPTION_NAMES = [...OPTIMIZER_OPTION_NAMES, 'beta1', 'beta2', 'epsilon', 'amsgrad'];

/**
 * Adam, Keras 3's form, at update t (from 1):
 * `alpha = lr sqrt(1 - beta2^t) / (1 - beta1^t)`, `m += (g - m)(1 - beta1)`,
 * `v += (g² - v)(1 - beta2)`, AMSGrad: `vHat = max(vHat, v)` used in place of v;
 * `w -= alpha m / (sqrt(v) + eps)`. (Epsilon sits outside the bias correction, as in Keras and
 * the Adam paper's "epsilon hat" form; tfjs puts it inside.)
 *
 * @example
 * model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
 */
export class Adam extends Optimizer {
  readonly kind = 'adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(options: AdamOptions = {}) {
    checkOptionNames('Adam', options, ADAM_OPTION_NAMES);
    super('Adam', options, 0.001);
    this.beta1 = rate('Adam', 'beta1', options.beta1 ?? 0.9);
    this.beta2 = rate('Adam', 'beta2', options.beta2 ?? 0.999);
    this.epsilon = positiveNumber('Adam', 'epsilon', options.epsilon ?? 1e-7);
    this.amsgrad = options.amsgrad ?? false;
  }

  protected slotSpecs(): readonly SlotSpec[] {
    const slots: SlotSpec[] = [
      { name: 'momentum', initialValue: 0 },
      { name: 'velocity', initialValue: 0 },
    ];
    if (this.amsgrad) slots.push({ name: 'velocity_hat', initialValue: 0 });
    return slots;
  }

  protected updateWeight(
    weight: UpdateTarget,
    g: Tensor,
    slots: ReadonlyMap<string, UpdateTarget>,
    step: number,
  ): void {
    const [m, v, vHat] = this.slotTargets(slots);
    this.assignStep(
      weight,
      [m, v, vHat],
      adamStep(weight.value, g, m.value, v.value, vHat?.value ?? null, this.scalarsAt(step)),
    );
  }

  /** The lazy update in the backend's fused `adamStepRows` when it has one. */
  protected override updateRows(
    weight: Variable,
    gradient: Tensor,
    slots: ReadonlyMap<string, Variable>,
    rows: Int32Array,
    step: number,
  ): void {
    const [m, v, vHat] = this.slotTargets(slots);
    const next = adamStepRows(
      weight.value,
      gradient,
      m.value,
      v.value,
      vHat?.value ?? null,
      rows,
      this.scalarsAt(step),
    );
    if (next === null) super.updateRows(weight, gradient, slots, rows, step);
    else this.assignStep(weight, [m, v, vHat], next);
  }

  private slotTargets<T extends UpdateTarget>(slots: ReadonlyMap<string, T>): [T, T, T | null] {
    return [slots.get('momentum')!, slots.get('velocity')!, this.amsgrad ? slots.get('velocity_hat')! : null];
  }

  private assignStep(
    weight: UpdateTarget,
    [m, v, vHat]: readonly [UpdateTarget, UpdateTarget, UpdateTarget | null],
    next: AdamStepResult,
  ): void {
    m.assign(next.m);
    v.assign(next.v);
    vHat?.assign(next.vHat!);
    weight.assign(next.weight);
  }

  /** The step's scalars; the bias corrections are computed on the host in float64. */
  private scalarsAt(step: number): AdamStepScalars {
    const alpha = (this.learningRate * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
    return { alpha, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
