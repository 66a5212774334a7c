import { checkOptionNames, rate } from '../../option-checks.js';
import { add, mul, sub } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  OPTIMIZER_OPTION_NAMES,
  Optimizer,
  type OptimizerOptions,
  type SlotSpec,
  type UpdateTarget,
} from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  /** Default 0.01. */
  readonly learningRate?: number;
  /** Default 0 (plain gradient descent). */
  readonly momentum?: number;
  /** Default false. */
  readonly nesterov?: boolean;
}

export const SGD_OPTION_NAMES = [...OPTIMIZER_OPTION_NAMES, 'momentum', 'nesterov'];

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, Keras 3's form:
 * without momentum `w -= lr g`; with momentum `m = momentum m - lr g`, then `w += m`, or for
 * Nesterov `w += momentum m - lr g`.
 *
 * @example
 * model.compile({ optimizer: new SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'mse' });
 */
export class SGD extends Optimizer {
  readonly kind = 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    checkOptionNames('SGD', options, SGD_OPTION_NAMES);
    super('SGD', options, 0.01);
    this.momentum = rate('SGD', 'momentum', options.momentum ?? 0);
    this.nesterov = options.nesterov ?? false;
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return this.momentum > 0 ? [{ name: 'momentum', initialValue: 0 }] : [];
  }

  protected updateWeight(weight: UpdateTarget, g: Tensor, slots: ReadonlyMap<string, UpdateTarget>): void {
    const lr = this.learningRate;
    if (this.momentum === 0) {
      weight.assign(sub(weight.value, mul(g, lr)));
      return;
    }
    const m = slots.get('momentum')!;
    m.assign(sub(mul(m.value, this.momentum), mul(g, lr)));
    const change = this.nesterov ? sub(mul(m.value, this.momentum), mul(g, lr)) : m.value;
    weight.assign(add(weight.value, change));
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
