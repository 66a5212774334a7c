import { ShapeError, formatShape } from '../errors.js';
import { scatterUpdate } from '../ops/indexing.js';
import { shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Engine } from '../engine/engine.js';

/**
 * A named, mutable slot holding a tensor: a layer's weight or an optimizer's state. The value
 * lives outside every disposal scope; `assign` swaps in a new value and releases the old one.
 */
export class Variable {
  private current: Tensor;

  constructor(
    readonly name: string,
    value: Tensor,
    readonly trainable = true,
  ) {
    this.current = value.engine.keep(value);
  }

  get value(): Tensor {
    return this.current;
  }

  get engine(): Engine {
    return this.current.engine;
  }

  get shape(): readonly number[] {
    return this.current.shape;
  }

  /** Replaces the value (same shape); the previous value is released. */
  assign(next: Tensor): void {
    if (!shapesEqual(next.shape, this.current.shape)) {
      throw new ShapeError(
        `Cannot assign a tensor of shape ${formatShape(next.shape)} to variable '${this.name}' of shape ${formatShape(this.current.shape)}.`,
      );
    }
    if (next === this.current) return;
    const previous = this.current;
    this.current = next.engine.keep(next);
    previous.dispose();
  }

  /**
   * Replaces rows `indices` (int32 `[K]`, distinct) of the rank-2 value by `rows` (`[K, D]`),
   * like `assign(scatterUpdate(value, indices, rows))`. Outside gradient recording the old
   * value is donated to the backend, which may write the rows into its storage: an optimizer
   * step that changes a few thousand rows of an embedding table then costs those rows, not a
   * copy of the table.
   */
  assignRows(indices: Tensor, rows: Tensor): void {
    const context = `the rows of '${this.name}'`;
    this.assign(scatterUpdate(this.current, indices, rows, { context, donateTable: this.engine.tape === null }));
  }

  dispose(): void {
    this.current.dispose();
  }
}
