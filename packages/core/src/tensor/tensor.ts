import type { DType, Shape, TensorInfo, TypedArray } from '../backend/kernel-backend.js';
import { RecurError } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { sizeOf } from './shape.js';

/**
 * An immutable n-dimensional array living on one engine's backend. Tensors made inside
 * `engine.tidy` are released when the scope ends unless returned or kept; tensors made outside
 * any scope belong to the caller, who disposes them.
 */
export class Tensor {
  readonly size: number;
  private released = false;

  constructor(
    readonly engine: Engine,
    readonly info: TensorInfo,
    readonly id: number,
  ) {
    this.size = sizeOf(info.shape);
  }

  get shape(): Shape {
    return this.info.shape;
  }

  get dtype(): DType {
    return this.info.dtype;
  }

  get rank(): number {
    return this.info.shape.length;
  }

  get isDisposed(): boolean {
    return this.released;
  }

  /** Copies the values to the host, row-major. */
  read(): TypedArray {
    this.assertAlive();
    return this.engine.backend.download(this.info);
  }

  /** The values as a plain array of numbers, row-major. */
  toArray(): number[] {
    return Array.from(this.read());
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new RecurError(`item() needs a tensor of one element; this one has shape [${this.shape.join(', ')}].`);
    return this.read()[0];
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.engine.onDispose(this);
  }

  /** Throws if the tensor was already disposed: a clear error instead of reading freed memory. */
  assertAlive(): void {
    if (this.released) {
      throw new RecurError(
        `Tensor ${this.id} (shape [${this.shape.join(', ')}]) was used after it was disposed. ` +
          'Return it from engine.tidy() or call engine.keep() on it to keep it alive.',
      );
    }
  }
}
