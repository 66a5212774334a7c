import { ShapeError, ValueError } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add } from '../ops/arithmetic.js';
import { Tape } from './tape.js';

export interface ValueAndGradients {
  /** The value `fn` returned. */
  readonly value: Tensor;
  /** d(sum of value) / d(each tensor of `wrt`), in the order of `wrt`, same shapes. */
  readonly grads: Tensor[];
}

/**
 * Reverse-mode differentiation: runs `fn` while recording, then walks the tape backwards.
 * A non-scalar value is differentiated as the sum of its elements, unless `seed` (the upstream
 * gradient, same shape as the value) is given. Tensors of `wrt` that the value does not depend
 * on get zero gradients.
 *
 * @example
 * const { value, grads: [dw] } = valueAndGradients(engine, () => ops.sum(ops.square(w)), [w]);
 */
export function valueAndGradients(
  engine: Engine,
  fn: () => Tensor,
  wrt: readonly Tensor[],
  seed?: Tensor,
): ValueAndGradients {
  if (engine.tape !== null) {
    throw new ValueError('valueAndGradients() cannot be nested: higher-order gradients are not supported.');
  }
  const tape = new Tape(wrt);
  engine.tape = tape;
  let value: Tensor;
  try {
    value = fn();
  } finally {
    engine.tape = null;
  }
  if (seed !== undefined && !shapesEqual(seed.shape, value.shape)) {
    throw new ShapeError(`The seed gradient has shape [${seed.shape}] but the value has shape [${value.shape}].`);
  }
  const gradients = new Map<number, Tensor>();
  gradients.set(value.id, seed ?? engine.ones(value.shape));
  for (let k = tape.nodes.length - 1; k >= 0; k--) {
    const node = tape.nodes[k];
    const outputGrads = node.outputs.map((output) => gradients.get(output.id) ?? null);
    if (outputGrads.every((grad) => grad === null)) continue;
    const inputGrads = node.backward(outputGrads);
    node.inputs.forEach((input, i) => {
      const grad = inputGrads[i];
      if (grad === null || grad === undefined || !tape.isTracked(input)) return;
      if (!shapesEqual(grad.shape, input.shape)) {
        throw new ShapeError(
          `Internal error: the gradient rule of '${node.op}' returned shape [${grad.shape}] for an input of shape [${input.shape}].`,
        );
      }
      const previous = gradients.get(input.id);
      gradients.set(input.id, previous === undefined ? grad : add(previous, grad));
    });
  }
  const grads = wrt.map((tensor) => gradients.get(tensor.id) ?? engine.zeros(tensor.shape));
  return { value, grads };
}
