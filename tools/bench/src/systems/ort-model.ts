/**
 * An ONNX model for one workload as ONNX Runtime sees it: the bytes, the names of its input and
 * output, and (stream) which state outputs feed which state inputs on the next step.
 */
export interface OrtModel {
  readonly bytes: Uint8Array;
  readonly input: string;
  readonly output: string;
  /** Stream only: `[input, output]` name pairs of every carried state, each `[1, 1, 256]`. */
  readonly states: readonly (readonly [string, string])[];
}
