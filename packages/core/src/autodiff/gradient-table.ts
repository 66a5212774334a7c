import { add, div, equal, greater, mul, neg, sign, square, step, sub, abs } from '../ops/arithmetic.js';
import { matmul } from '../ops/linear-algebra.js';
import { sum } from '../ops/reduction.js';
import { concat, reshape, reverse, slice, transpose } from '../ops/structure.js';
import { gather, scatterAdd, scatterUpdate } from '../ops/indexing.js';
import type { Tensor } from '../tensor/tensor.js';
import type { PrimitiveAttributes, PrimitiveName } from './primitive.js';

/** Gradient of a primitive's inputs from its outputs' gradients (null: no gradient flows). */
export type GradientRule<K extends PrimitiveName> = (
  outputGrads: readonly (Tensor | null)[],
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  attributes: PrimitiveAttributes[K],
) => (Tensor | null)[];

/**
 * The one gradient table of Recur: every differentiable primitive's rule, written in core ops,
 * so every backend gets the same gradients from its forward primitives alone.
 */
export const gradientTable: { readonly [K in PrimitiveName]: GradientRule<K> } = {
  unary([dy], [x], [y], { op }) {
    const g = dy!;
    switch (op) {
      case 'neg':
        return [neg(g)];
      case 'abs':
        return [mul(g, sign(x))];
      case 'sign':
      case 'step':
        return [null];
      case 'exp':
        return [mul(g, y)];
      case 'log':
        return [div(g, x)];
      case 'sqrt':
        return [div(mul(g, 0.5), y)];
      case 'square':
        return [mul(g, mul(x, 2))];
      case 'tanh':
        return [mul(g, sub(1, square(y)))];
      case 'sigmoid':
        return [mul(g, mul(y, sub(1, y)))];
      case 'hardSigmoid':
        // clip(x / 6 + 0.5, 0, 1) has slope 1/6 strictly inside (-3, 3) and 0 outside.
        return [mul(g, mul(step(sub(3, abs(x))), 1 / 6))];
      case 'softsign':
        return [div(g, square(add(abs(x), 1)))];
      case 'relu':
        return [mul(g, step(x))];
    }
  },

  binary([dy], [a, b], _outputs, { op }) {
    const g = dy!;
    switch (op) {
      case 'add':
        return [unbroadcast(g, a.shape), unbroadcast(g, b.shape)];
      case 'sub':
        return [unbroadcast(g, a.shape), unbroadcast(neg(g), b.shape)];
      case 'mul':
        return [unbroadcast(mul(g, b), a.shape), unbroadcast(mul(g, a), b.shape)];
      case 'div':
        return [unbroadcast(div(g, b), a.shape), unbroadcast(neg(div(mul(g, a), square(b))), b.shape)];
      case 'maximum': {
        // Ties send the gradient to `a`, as clip(x, low, high) = minimum(maximum(x, low), high) expects.
        const toB = greater(b, a);
        return [unbroadcast(mul(g, sub(1, toB)), a.shape), unbroadcast(mul(g, toB), b.shape)];
      }
      case 'minimum': {
        const toB = greater(a, b);
        return [unbroadcast(mul(g, sub(1, toB)), a.shape), unbroadcast(mul(g, toB), b.shape)];
      }
      case 'equal':
      case 'greater':
        return [null, null];
    }
  },

  matmul([dy], [a, b], _outputs, { transposeA, transposeB }) {
    const g = dy!;
    if (!transposeA && !transposeB) return [matmul(g, b, false, true), matmul(a, g, true, false)];
    if (!transposeA && transposeB) return [matmul(g, b, false, false), matmul(g, a, true, false)];
    if (transposeA && !transposeB) return [matmul(b, g, false, true), matmul(a, g, false, false)];
    return [matmul(b, g, true, true), matmul(g, a, true, true)];
  },

  sum([dy], [x], _outputs, { axes }) {
    return [broadcastTo(reshape(dy!, keptShape(x.shape, axes)), x.shape)];
  },

  max([dy], [x], [y], { axes }) {
    const kept = keptShape(x.shape, axes);
    return [mul(equal(x, reshape(y, kept)), reshape(dy!, kept))];
  },

  reshape([dy], [x]) {
    return [reshape(dy!, x.shape)];
  },

  transpose([dy], _inputs, _outputs, { perm }) {
    const inverse = new Array<number>(perm.length);
    perm.forEach((axis, k) => (inverse[axis] = k));
    return [transpose(dy!, inverse)];
  },

  slice([dy], [x], _outputs, { begin, size }) {
    // Embed the gradient into zeros, one axis at a time.
    let grad = dy!;
    for (let axis = 0; axis < x.rank; axis++) {
      const before = begin[axis];
      const after = x.shape[axis] - begin[axis] - size[axis];
      if (before === 0 && after === 0) continue;
      const parts: Tensor[] = [];
      const padShape = (length: number) => grad.shape.map((dimension, k) => (k === axis ? length : dimension));
      if (before > 0) parts.push(x.engine.zeros(padShape(before)));
      parts.push(grad);
      if (after > 0) parts.push(x.engine.zeros(padShape(after)));
      grad = concat(parts, axis);
    }
    return [grad];
  },

  concat([dy], inputs, _outputs, { axis }) {
    let offset = 0;
    return inputs.map((input) => {
      const begin = input.shape.map((_, k) => (k === axis ? offset : 0));
      offset += input.shape[axis];
      return slice(dy!, begin, [...input.shape]);
    });
  },

  reverse([dy], _inputs, _outputs, { axis }) {
    return [reverse(dy!, axis)];
  },

  gather([dy], [table, indices]) {
    const depth = table.shape[1];
    return [scatterAdd(reshape(indices, [-1]), reshape(dy!, [-1, depth]), table.shape[0]), null];
  },

  scatterAdd([dy], [indices]) {
    return [null, gather(dy!, indices)];
  },

  scatterUpdate([dy], [table, indices, updates]) {
    // Replaced rows no longer depend on the table: its gradient is dy with those rows zeroed.
    return [scatterUpdate(dy!, indices, table.engine.zeros(updates.shape)), null, gather(dy!, indices)];
  },

  cast() {
    return [null];
  },

  fusedSequence(
    outputGrads,
    inputs,
    outputs,
    { kernel, config, stateCount, hasBias, hasMask, inputGradient, forward },
  ) {
    const [x, ...rest] = inputs;
    const initialState = rest.slice(0, stateCount);
    const [kernelWeights, recurrentKernel] = rest.slice(stateCount, stateCount + 2);
    const bias = hasBias ? rest[stateCount + 2] : null;
    const mask = hasMask ? rest[rest.length - 1] : null;
    const engine = x.engine;
    const grads = kernel.backward(
      config,
      {
        x: x.info,
        initialState: initialState.map((state) => state.info),
        kernel: kernelWeights.info,
        recurrentKernel: recurrentKernel.info,
        bias: bias?.info ?? null,
        mask: mask?.info ?? null,
      },
      forward,
      {
        sequence: outputGrads[0]?.info ?? null,
        finalState: outputs.slice(1).map((_, k) => outputGrads[k + 1]?.info ?? null),
        inputGradient,
      },
    );
    const wrapped: (Tensor | null)[] = [
      grads.x === null ? null : engine.wrap(grads.x),
      ...grads.initialState.map((grad) => engine.wrap(grad)),
      engine.wrap(grads.kernel),
      engine.wrap(grads.recurrentKernel),
    ];
    if (hasBias) wrapped.push(engine.wrap(grads.bias!));
    if (hasMask) wrapped.push(null);
    return wrapped;
  },
};

function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((dimension, axis) => (axes.includes(axis) ? 1 : dimension));
}

function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return mul(x, x.engine.ones(shape));
}

/** Sums a broadcast gradient back down to the shape of the operand it came from. */
function unbroadcast(grad: Tensor, shape: readonly number[]): Tensor {
  if (grad.shape.length === shape.length && grad.shape.every((dimension, k) => dimension === shape[k])) return grad;
  const offset = grad.rank - shape.length;
  const axes: number[] = [];
  for (let axis = 0; axis < grad.rank; axis++) {
    if (axis < offset || (shape[axis - offset] === 1 && grad.shape[axis] !== 1)) axes.push(axis);
  }
  return reshape(axes.length > 0 ? sum(grad, axes) : grad, shape);
}
