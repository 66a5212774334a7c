import { checkOptionNames, rate } from '../../option-checks.js';
import { add, div, mul, sqrt, square, sub } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  OPTIMIZER_OPTION_NAMES,
  Optimizer,
  type OptimizerOptions,
  type SlotSpec,
  type UpdateTarget,
} from './optimizer.js';
import { positiveNumber } from './positive-number.js';

export interface RMSpropOptions extends OptimizerOptions {
  /** Default 0.001. */
  readonly learningRate?: number;
  /** Decay of the running mean of squared gradients. Default 0.9. */
  readonly rho?: number;
  /** Default 0. */
  readonly momentum?: number;
  /** Added under the square root. Default 1e-7. */
  readonly epsilon?: number;
  /** Divide by the running variance instead of the raw second moment. Default false. */
  readonly centered?: boolean;
}

export const RMSPROP_OPTION_NAMES = [...OPTIMIZER_OPTION_NAMES, 'rho', 'momentum', 'epsilon', 'centered'];

/**
 * RMSprop, Keras 3's form:
 * `v = rho v + (1 - rho) g²`; centered: `a = rho a + (1 - rho) g`, `d = v - a² + eps`, else
 * `d = v + eps`; `step = lr g / sqrt(d)`; with momentum `m = momentum m + step`, `w -= m`,
 * otherwise `w -= step`.
 *
 * @example
 * model.compile({ optimizer: new RMSprop({ learningRate: 0.01 }), loss: 'categorical_crossentropy' });
 */
export class RMSprop extends Optimizer {
  readonly kind = 'rmsprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    checkOptionNames('RMSprop', options, RMSPROP_OPTION_NAMES);
    super('RMSprop', options, 0.001);
    this.rho = rate('RMSprop', 'rho', options.rho ?? 0.9);
    this.momentum = rate('RMSprop', 'momentum', options.momentum ?? 0);
    this.epsilon = positiveNumber('RMSprop', 'epsilon', options.epsilon ?? 1e-7);
    this.centered = options.centered ?? false;
  }

  protected slotSpecs(): readonly SlotSpec[] {
    const slots: SlotSpec[] = [{ name: 'velocity', initialValue: 0 }];
    if (this.momentum > 0) slots.push({ name: 'momentum', initialValue: 0 });
    if (this.centered) slots.push({ name: 'average_gradient', initialValue: 0 });
    return slots;
  }

  protected updateWeight(weight: UpdateTarget, g: Tensor, slots: ReadonlyMap<string, UpdateTarget>): void {
    const velocity = slots.get('velocity')!;
    velocity.assign(add(mul(velocity.value, this.rho), mul(square(g), 1 - this.rho)));
    let denominator = velocity.value;
    if (this.centered) {
      const average = slots.get('average_gradient')!;
      average.assign(add(mul(average.value, this.rho), mul(g, 1 - this.rho)));
      denominator = sub(denominator, square(average.value));
    }
    const increment = div(mul(g, this.learningRate), sqrt(add(denominator, this.epsilon)));
    if (this.momentum > 0) {
      const momentum = slots.get('momentum')!;
      momentum.assign(add(mul(momentum.value, this.momentum), increment));
      weight.assign(sub(weight.value, momentum.value));
    } else {
      weight.assign(sub(weight.value, increment));
    }
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
