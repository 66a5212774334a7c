import { ValueError } from '../../errors.js';
import { binaryCrossentropy } from './binary-crossentropy.js';
import { categoricalCrossentropy } from './categorical-crossentropy.js';
import type { Loss } from './loss.js';
import { meanSquaredError } from './mean-squared-error.js';
import { sparseCategoricalCrossentropy } from './sparse-categorical-crossentropy.js';

const LOSSES: Readonly<Record<string, Loss>> = {
  categorical_crossentropy: categoricalCrossentropy,
  sparse_categorical_crossentropy: sparseCategoricalCrossentropy,
  binary_crossentropy: binaryCrossentropy,
  mean_squared_error: meanSquaredError,
  mse: meanSquaredError,
};

/** A loss by its Keras name (or the loss itself). */
export function resolveLoss(loss: string | Loss): Loss {
  if (typeof loss === 'object' && loss !== null) return loss;
  const found = Object.hasOwn(LOSSES, loss) ? LOSSES[loss] : undefined;
  if (found === undefined) {
    throw new ValueError(
      `compile: unknown loss ${JSON.stringify(loss)}. Use one of: ${Object.keys(LOSSES).join(', ')}.`,
    );
  }
  return found;
}
