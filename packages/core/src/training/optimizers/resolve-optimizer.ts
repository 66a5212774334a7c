import { ValueError } from '../../errors.js';
import { Adagrad, type AdagradOptions } from './adagrad.js';
import { Adam, type AdamOptions } from './adam.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';
import { SGD, type SGDOptions } from './sgd.js';

const OPTIMIZERS: Readonly<Record<string, (options: Record<string, number | boolean>) => Optimizer>> = {
  sgd: (options) => new SGD(options as SGDOptions),
  rmsprop: (options) => new RMSprop(options as RMSpropOptions),
  adagrad: (options) => new Adagrad(options as AdagradOptions),
  adam: (options) => new Adam(options as AdamOptions),
};

/**
 * An optimizer from a Keras name (`'adam'`, Keras defaults), a `config()` object, or an
 * instance (returned as is).
 *
 * @example
 * const optimizer = resolveOptimizer({ kind: 'adam', options: { learningRate: 0.01 } });
 */
export function resolveOptimizer(optimizer: string | OptimizerConfig | Optimizer): Optimizer {
  if (optimizer instanceof Optimizer) return optimizer;
  const kind = typeof optimizer === 'string' ? optimizer.toLowerCase() : optimizer?.kind;
  const make = typeof kind === 'string' && Object.hasOwn(OPTIMIZERS, kind) ? OPTIMIZERS[kind] : undefined;
  if (make === undefined) {
    throw new ValueError(
      `compile: unknown optimizer ${JSON.stringify(optimizer)}. Use one of: ${Object.keys(OPTIMIZERS).join(', ')}, or an instance such as new Adam({ learningRate: 0.01 }).`,
    );
  }
  return make(typeof optimizer === 'string' ? {} : { ...optimizer.options });
}
