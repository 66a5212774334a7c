import { Tensor, ValueError, type Engine } from '@recur/core';
import { allocate, checkedSize, type HostTensor } from '../proto/host-tensor.js';

/**
 * A value flowing through an imported graph. Float data lives on the backend as a core Tensor
 * (so the compute runs through core ops on any KernelBackend); integer and boolean values,
 * which in these graphs are shapes, indices and lengths, stay on the host as HostTensors.
 * Float constants stay on the host until an op needs them on the backend.
 */
export type GraphValue = Tensor | HostTensor;

export function isTensor(value: GraphValue): value is Tensor {
  return value instanceof Tensor;
}

export function shapeOf(value: GraphValue): readonly number[] {
  return value.shape;
}

/** The value as a float32 backend tensor (host floats, ints and bools are converted). */
export function toTensor(value: GraphValue, engine: Engine): Tensor {
  if (isTensor(value)) return value;
  return engine.tensor(
    value.dtype === 'float32' ? (value.data as Float32Array) : Float32Array.from(value.data),
    value.shape,
  );
}

/** The value as int32 indices on the backend, checking every index fits in int32. */
export function toIndexTensor(value: HostTensor, engine: Engine, what: string): Tensor {
  const data = new Int32Array(value.data.length);
  for (let k = 0; k < data.length; k++) {
    const index = value.data[k];
    if (!Number.isInteger(index) || Math.abs(index) > 2 ** 31 - 1)
      throw new ValueError(`${what}: index ${index} is not a valid int32 index.`);
    data[k] = index;
  }
  return engine.tensor(data, value.shape, 'int32');
}

/** The value on the host (a backend tensor is downloaded). */
export function toHost(value: GraphValue): HostTensor {
  if (!isTensor(value)) return value;
  return { dtype: value.dtype === 'int32' ? 'int32' : 'float32', shape: [...value.shape], data: value.read() };
}

/** A host tensor of `shape` filled with `value`, size-checked first. */
export function filledHost(
  dtype: HostTensor['dtype'],
  shape: readonly number[],
  value: number,
  what: string,
): HostTensor {
  const data = allocate(dtype, checkedSize(shape, what));
  data.fill(value);
  return { dtype, shape: [...shape], data };
}
