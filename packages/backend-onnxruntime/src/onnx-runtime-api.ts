/**
 * The part of ONNX Runtime's JavaScript API this package uses, written structurally so one
 * implementation serves both runtimes: `onnxruntime-node` and `onnxruntime-web` export the same
 * `InferenceSession` and `Tensor` (both from `onnxruntime-common`), and each entry file passes
 * its runtime's namespace in. Nothing here imports a runtime.
 */

/** Element types Recur models read and write. */
export type OrtElementType = 'float32' | 'int32';

export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** What ONNX Runtime reports about a graph input or output (`shape` holds names for symbolic axes). */
export type OrtValueMetadata =
  | { readonly name: string; readonly isTensor: false }
  | {
      readonly name: string;
      readonly isTensor: true;
      readonly type: string;
      readonly shape: ReadonlyArray<number | string>;
    };

export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly OrtValueMetadata[];
  readonly outputMetadata: readonly OrtValueMetadata[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** `import * as ort from 'onnxruntime-node'` (or `onnxruntime-web`) satisfies this. */
export interface OrtNamespace<SessionOptions> {
  readonly InferenceSession: { create(model: Uint8Array, options?: SessionOptions): Promise<OrtSession> };
  readonly Tensor: new (type: OrtElementType, data: Float32Array | Int32Array, dims: readonly number[]) => OrtTensor;
}
