import { ValueError } from '../../errors.js';
import { checkOptionNames } from '../../option-checks.js';
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

export interface AdagradOptions extends OptimizerOptions {
  /** Default 0.001. */
  readonly learningRate?: number;
  /** Starting value of the accumulator. Default 0.1. */
  readonly initialAccumulatorValue?: number;
  /** Default 1e-7. */
  readonly epsilon?: number;
}

export const ADAGRAD_OPTION_NAMES = [...OPTIMIZER_OPTION_NAMES, 'initialAccumulatorValue', 'epsilon'];

/**
 * Adagrad, Keras 3's form: `a += g²`, `w -= lr g / sqrt(a + eps)`, with `a` starting at
 * `initialAccumulatorValue`.
 *
 * @example
 * model.compile({ optimizer: new Adagrad({ learningRate: 0.05 }), loss: 'mse' });
 */
export class Adagrad extends Optimizer {
  readonly kind = 'adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    checkOptionNames('Adagrad', options, ADAGRAD_OPTION_NAMES);
    super('Adagrad', options, 0.001);
    const initial = options.initialAccumulatorValue ?? 0.1;
    if (typeof initial !== 'number' || !(initial >= 0) || !Number.isFinite(initial)) {
      throw new ValueError(
        `Adagrad: 'initialAccumulatorValue' must be a non-negative number, got ${JSON.stringify(initial)}.`,
      );
    }
    this.initialAccumulatorValue = initial;
    this.epsilon = positiveNumber('Adagrad', 'epsilon', options.epsilon ?? 1e-7);
  }

  protected slotSpecs(): readonly SlotSpec[] {
    return [{ name: 'accumulator', initialValue: this.initialAccumulatorValue }];
  }

  protected updateWeight(weight: UpdateTarget, g: Tensor, slots: ReadonlyMap<string, UpdateTarget>): void {
    const accumulator = slots.get('accumulator')!;
    accumulator.assign(add(accumulator.value, square(g)));
    weight.assign(sub(weight.value, div(mul(g, this.learningRate), sqrt(add(accumulator.value, this.epsilon)))));
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
