import type { TensorInfo, UnaryOp } from '@recur/core';
import { ValueError } from '@recur/core';
import { floatValuesOf, makeTensor } from '../tensor-storage.js';
import { hardSigmoid, sigmoid, softsign } from './activation.js';

/** Each UnaryOp as a scalar function, exactly as the contract documents it. */
const UNARY_FUNCTIONS: Readonly<Record<UnaryOp, (x: number) => number>> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x), // keeps 0 and NaN as they are
  step: (x) => (x > 0 ? 1 : 0),
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  tanh: Math.tanh,
  sigmoid,
  hardSigmoid,
  softsign,
  relu: (x) => (x > 0 ? x : 0),
};

/** Element-wise `op(x)` into a new float32 tensor. */
export function unary(op: UnaryOp, x: TensorInfo): TensorInfo {
  const apply = UNARY_FUNCTIONS[op];
  if (apply === undefined) throw new ValueError(`Unknown unary operation '${String(op)}'.`);
  const input = floatValuesOf(x, `unary '${op}'`);
  const output = new Float32Array(input.length);
  // The optimizers' two operations get loops of their own, for the reason `binary` gives its
  // arithmetic: a call through `apply` per element is not inlined and costs more than the math.
  if (op === 'sqrt') for (let k = 0; k < input.length; k++) output[k] = Math.sqrt(input[k]);
  else if (op === 'square') for (let k = 0; k < input.length; k++) output[k] = input[k] * input[k];
  else for (let k = 0; k < input.length; k++) output[k] = apply(input[k]);
  return makeTensor(output, x.shape, 'float32');
}
