import type { Tensor } from '../tensor/tensor.js';

/**
 * Computes the gradients of a recorded operation's inputs from the gradients of its outputs.
 * `outputGrads[k]` is null when output k did not reach the differentiated value. The result
 * has one entry per input: null where the input needs no gradient (indices, masks).
 */
export type BackwardFunction = (outputGrads: readonly (Tensor | null)[]) => (Tensor | null)[];

export interface TapeNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly backward: BackwardFunction;
}

/**
 * The record of operations between the tensors being differentiated and the value. Only
 * operations that depend on a watched tensor are recorded, so constant work (data
 * preparation, masks) costs nothing at backward time.
 */
export class Tape {
  readonly nodes: TapeNode[] = [];
  private readonly tracked = new Set<number>();

  constructor(watched: readonly Tensor[]) {
    for (const tensor of watched) this.tracked.add(tensor.id);
  }

  isTracked(tensor: Tensor): boolean {
    return this.tracked.has(tensor.id);
  }

  /** Records the operation if any input depends on a watched tensor. */
  record(op: string, inputs: readonly Tensor[], outputs: readonly Tensor[], backward: BackwardFunction): void {
    if (!inputs.some((input) => this.tracked.has(input.id))) return;
    for (const output of outputs) this.tracked.add(output.id);
    this.nodes.push({ op, inputs, outputs, backward });
  }
}
