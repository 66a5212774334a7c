import type {
  BinaryOp,
  FusedSequenceKernel,
  KernelBackend,
  RecurrentCellConfig,
  SequenceOutputs,
  TensorInfo,
  UnaryOp,
} from '../backend/kernel-backend.js';
import type { Engine } from '../engine/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { gradientTable } from './gradient-table.js';

/** The attributes each differentiable primitive records for its gradient rule. */
export interface PrimitiveAttributes {
  unary: { readonly op: UnaryOp };
  binary: { readonly op: BinaryOp };
  matmul: { readonly transposeA: boolean; readonly transposeB: boolean };
  sum: { readonly axes: readonly number[] };
  max: { readonly axes: readonly number[] };
  reshape: Record<string, never>;
  transpose: { readonly perm: readonly number[] };
  slice: { readonly begin: readonly number[]; readonly size: readonly number[] };
  concat: { readonly axis: number };
  reverse: { readonly axis: number };
  gather: Record<string, never>;
  scatterAdd: { readonly rows: number };
  scatterUpdate: Record<string, never>;
  cast: Record<string, never>;
  fusedSequence: {
    readonly kernel: FusedSequenceKernel;
    readonly config: RecurrentCellConfig;
    readonly stateCount: number;
    readonly hasBias: boolean;
    readonly hasMask: boolean;
    /** Whether `x` depended on a watched tensor when the pass was recorded. */
    readonly inputGradient: boolean;
    readonly forward: SequenceOutputs;
  };
}

export type PrimitiveName = keyof PrimitiveAttributes;

/**
 * Runs one backend primitive and, when a tape is recording and an input depends on a watched
 * tensor, records it with its rule from the gradient table. Every differentiable operation in
 * core goes through here, so the table is the single place gradients are defined.
 */
export function runPrimitive<K extends PrimitiveName>(
  engine: Engine,
  name: K,
  inputs: readonly Tensor[],
  attributes: PrimitiveAttributes[K],
  compute: (backend: KernelBackend) => TensorInfo | readonly TensorInfo[],
): Tensor[] {
  for (const input of inputs) {
    input.assertAlive();
    if (input.engine !== engine) {
      throw new Error(
        `Tensors from two engines were mixed in '${name}': move data to one backend first (model weights live on the backend the model was built on).`,
      );
    }
  }
  const produced = compute(engine.backend);
  const outputs = (Array.isArray(produced) ? produced : [produced]).map((info) => engine.wrap(info));
  const tape = engine.tape;
  if (tape !== null) {
    const rule = gradientTable[name];
    tape.record(name, inputs, outputs, (outputGrads) => rule(outputGrads, inputs, outputs, attributes));
  }
  return outputs;
}
