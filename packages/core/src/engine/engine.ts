import {
  KERNEL_CONTRACT_VERSION,
  type DType,
  type KernelBackend,
  type Shape,
  type TensorInfo,
  type TypedArray,
} from '../backend/kernel-backend.js';
import { isGraphBackend } from '../backend/graph-backend.js';
import { BackendError, ShapeError, ValueError, formatShape } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tape } from '../autodiff/tape.js';

/**
 * Design: an Engine binds core to one backend. It creates tensors on that backend, tracks them
 * in disposal scopes (`tidy`) so intermediate results are released automatically (tfjs-style,
 * but per engine instead of a global), and holds the gradient tape while one is recording.
 * There is no global engine: models and tensors carry theirs.
 */
export class Engine {
  readonly backend: KernelBackend;
  /** The tape recording operations, if `gradients` is running. */
  tape: Tape | null = null;
  private readonly scopes: Set<Tensor>[] = [];
  private nextId = 0;
  private live = 0;

  constructor(backend: KernelBackend) {
    if (backend === null || typeof backend !== 'object' || typeof backend.upload !== 'function') {
      if (isGraphBackend(backend)) {
        throw new BackendError(
          `Backend '${backend.name}' runs whole exported models for inference only and cannot hold trainable weights. ` +
            'Build and train on a KernelBackend (tsBackend(), tfjsBackend()), then pass the model to backend.compile(model).',
        );
      }
      throw new BackendError('Expected a KernelBackend object, for example tsBackend() from @recur/backend-ts.');
    }
    if (backend.contractVersion !== KERNEL_CONTRACT_VERSION) {
      throw new BackendError(
        `Backend '${backend.name}' implements kernel contract version ${backend.contractVersion}, ` +
          `but this @recur/core speaks version ${KERNEL_CONTRACT_VERSION}. Install matching versions of @recur/core and the backend.`,
      );
    }
    this.backend = backend;
  }

  /** Number of tensors created by this engine and not yet disposed (for leak checks). */
  get liveTensors(): number {
    return this.live;
  }

  /** Wraps a backend tensor, registering it in the innermost scope. */
  wrap(info: TensorInfo): Tensor {
    const tensor = new Tensor(this, info, this.nextId++);
    this.live++;
    this.scopes[this.scopes.length - 1]?.add(tensor);
    return tensor;
  }

  /** A tensor from host values (row-major). */
  tensor(values: TypedArray | readonly number[], shape: Shape, dtype: DType = 'float32'): Tensor {
    const size = sizeOf(shape);
    if (shape.some((dimension) => !Number.isInteger(dimension) || dimension < 0)) {
      throw new ShapeError(`Invalid tensor shape ${formatShape(shape)}: dimensions must be non-negative integers.`);
    }
    if (values.length !== size) {
      throw new ShapeError(
        `${values.length} values cannot fill a tensor of shape ${formatShape(shape)} (${size} elements).`,
      );
    }
    const typed =
      dtype === 'int32'
        ? values instanceof Int32Array
          ? values
          : Int32Array.from(values)
        : values instanceof Float32Array
          ? values
          : Float32Array.from(values);
    return this.wrap(this.backend.upload(typed, [...shape], dtype));
  }

  scalar(value: number): Tensor {
    return this.wrap(this.backend.fill([], value, 'float32'));
  }

  fill(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
    return this.wrap(this.backend.fill([...shape], value, dtype));
  }

  zeros(shape: Shape): Tensor {
    return this.fill(shape, 0);
  }

  ones(shape: Shape): Tensor {
    return this.fill(shape, 1);
  }

  /**
   * Runs `fn` in a disposal scope: every tensor it creates is released afterwards, except the
   * tensors in its result (a tensor, or arrays / plain objects of them), which move to the
   * enclosing scope.
   */
  tidy<T>(fn: () => T): T {
    const scope = new Set<Tensor>();
    this.scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.scopes.pop();
      for (const tensor of scope) tensor.dispose();
      throw error;
    }
    this.scopes.pop();
    if (result instanceof Promise) {
      throw new ValueError('engine.tidy() takes a synchronous function; await outside the scope.');
    }
    const kept = new Set<Tensor>();
    collectTensors(result, kept);
    const parent = this.scopes[this.scopes.length - 1];
    for (const tensor of scope) {
      if (kept.has(tensor)) parent?.add(tensor);
      else tensor.dispose();
    }
    return result;
  }

  /** Removes a tensor from every scope so it outlives them; the caller disposes it. */
  keep<T extends Tensor>(tensor: T): T {
    for (const scope of this.scopes) scope.delete(tensor);
    return tensor;
  }

  /** Called by Tensor.dispose. */
  onDispose(tensor: Tensor): void {
    for (const scope of this.scopes) scope.delete(tensor);
    this.live--;
    this.backend.release(tensor.info);
  }
}

function collectTensors(value: unknown, into: Set<Tensor>): void {
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) for (const item of value) collectTensors(item, into);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) collectTensors(item, into);
  }
}
