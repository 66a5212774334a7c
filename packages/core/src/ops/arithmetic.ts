import type { ActivationName, BinaryOp, UnaryOp } from '../backend/kernel-backend.js';
import { runPrimitive } from '../autodiff/primitive.js';
import { ValueError } from '../errors.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** A tensor, or a number standing for a scalar tensor on the other operand's engine. */
export type Operand = Tensor | number;

function binary(op: BinaryOp, a: Operand, b: Operand): Tensor {
  const engine = typeof a === 'number' ? (b as Tensor).engine : a.engine;
  const left = typeof a === 'number' ? engine.scalar(a) : a;
  const right = typeof b === 'number' ? engine.scalar(b) : b;
  broadcastShapes(left.shape, right.shape);
  return runPrimitive(engine, 'binary', [left, right], { op }, (backend) =>
    backend.binary(op, left.info, right.info),
  )[0];
}

function unary(op: UnaryOp, x: Tensor): Tensor {
  return runPrimitive(x.engine, 'unary', [x], { op }, (backend) => backend.unary(op, x.info))[0];
}

export const add = (a: Operand, b: Operand): Tensor => binary('add', a, b);
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', a, b);
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', a, b);
export const div = (a: Operand, b: Operand): Tensor => binary('div', a, b);
export const maximum = (a: Operand, b: Operand): Tensor => binary('maximum', a, b);
export const minimum = (a: Operand, b: Operand): Tensor => binary('minimum', a, b);
/** 1 where `a == b`, else 0 (not differentiable). */
export const equal = (a: Operand, b: Operand): Tensor => binary('equal', a, b);
/** 1 where `a > b`, else 0 (not differentiable). */
export const greater = (a: Operand, b: Operand): Tensor => binary('greater', a, b);

export const neg = (x: Tensor): Tensor => unary('neg', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const sign = (x: Tensor): Tensor => unary('sign', x);
/** 1 where `x > 0`, else 0. */
export const step = (x: Tensor): Tensor => unary('step', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const square = (x: Tensor): Tensor => unary('square', x);
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
/** Keras 3's hard sigmoid, `clip(x / 6 + 0.5, 0, 1)`. */
export const hardSigmoid = (x: Tensor): Tensor => unary('hardSigmoid', x);
export const softsign = (x: Tensor): Tensor => unary('softsign', x);
export const relu = (x: Tensor): Tensor => unary('relu', x);

/** Clamps every value into `[low, high]`. */
export function clip(x: Tensor, low: number, high: number): Tensor {
  return minimum(maximum(x, low), high);
}

/** Applies a recurrent-cell activation by its Keras name. */
export function activate(name: ActivationName, x: Tensor): Tensor {
  switch (name) {
    case 'tanh':
      return tanh(x);
    case 'sigmoid':
      return sigmoid(x);
    case 'hard_sigmoid':
      return hardSigmoid(x);
    case 'softsign':
      return softsign(x);
    case 'relu':
      return relu(x);
    case 'linear':
      return x;
    default:
      throw new ValueError(`Unknown activation '${String(name)}'. Use one of: ${ACTIVATION_NAMES.join(', ')}.`);
  }
}

export const ACTIVATION_NAMES: readonly ActivationName[] = [
  'tanh',
  'sigmoid',
  'hard_sigmoid',
  'softsign',
  'relu',
  'linear',
];
