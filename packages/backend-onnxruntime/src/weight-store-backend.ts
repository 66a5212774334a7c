import { BackendError, KERNEL_CONTRACT_VERSION, type KernelBackend, type TypedArray } from '@recur/core';

/**
 * A KernelBackend that only stores tensors on the host: just enough for core to build a
 * Sequential model from a spec and set its weights, so `compile({ spec, weights })` can export
 * it to ONNX without borrowing another backend package (backends never import each other). Every
 * compute primitive refuses with an error pointing to ONNX Runtime for inference and to a real
 * KernelBackend for training.
 *
 * @example
 * const model = Sequential.fromSpec(spec).build({ backend: weightStoreBackend() });
 * model.setWeights(weights); // then exportOnnx(model)
 */
export function weightStoreBackend(): KernelBackend {
  const refuse = (primitive: string) => (): never => {
    throw new BackendError(
      `The weight store of @recur/backend-onnxruntime only holds weights for the ONNX export and cannot compute '${primitive}'. ` +
        'Run inference with (await backend.compile(model)).predict(x); to train, build the model on a KernelBackend such as tsBackend().',
    );
  };
  return {
    contractVersion: KERNEL_CONTRACT_VERSION,
    name: 'onnxruntime-weight-store',
    upload: (values, shape, dtype) => ({ handle: values.slice(), shape: [...shape], dtype }),
    download: (tensor) => (tensor.handle as TypedArray).slice(),
    release: () => {},
    fill: refuse('fill'),
    cast: refuse('cast'),
    unary: refuse('unary'),
    binary: refuse('binary'),
    matmul: refuse('matmul'),
    reduce: refuse('reduce'),
    reshape: refuse('reshape'),
    transpose: refuse('transpose'),
    slice: refuse('slice'),
    concat: refuse('concat'),
    reverse: refuse('reverse'),
    gather: refuse('gather'),
    scatterAdd: refuse('scatterAdd'),
  };
}
