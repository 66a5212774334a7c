/**
 * Every tolerance the suite uses, in one place, with the reason it has the size it has. A
 * backend computes in float32 (machine epsilon 2^-23 ≈ 1.2e-7), so results that are exact in
 * real arithmetic differ from a float64 oracle by a few units in the last place.
 */

/** Elementwise bound `|got - expected| <= absolute + relative * |expected|`. */
export interface Tolerance {
  readonly absolute: number;
  readonly relative: number;
}

/**
 * Primitives against float64 host math on float32-rounded inputs. The inputs keep results
 * near magnitude 1, where a few float32 roundings stay far below 1e-5.
 */
export const PRIMITIVE_TOLERANCE: Tolerance = { absolute: 1e-5, relative: 0 };

/**
 * Forward values against the float64 PyTorch goldens: the reference README's bound for float32
 * implementations (onnxruntime-node was within 2.4e-7 of them).
 */
export const GOLDEN_FORWARD_TOLERANCE: Tolerance = { absolute: 1e-5, relative: 0 };

/**
 * Outputs of the ONNX reference models (`onnx/`, float32 PyTorch outputs) and of the ONNX
 * project's node tests (`onnx-conformance/`, float32 `output_*.pb`): both READMEs give 1e-5
 * absolute for a float32 runtime (onnxruntime-node was within 2.4e-7 of them).
 */
export const ONNX_REFERENCE_TOLERANCE: Tolerance = { absolute: 1e-5, relative: 0 };

/**
 * Gradients against the goldens: the README's `|got - ref| <= 1e-4 * |ref| + 1e-5` for float32.
 * Backpropagation through time accumulates float32 rounding over every step, hence relative.
 */
export const GOLDEN_GRADIENT_TOLERANCE: Tolerance = { absolute: 1e-5, relative: 1e-4 };

/** The scalar loss of a golden case: relative 1e-4 for float32 (README). */
export const GOLDEN_LOSS_TOLERANCE: Tolerance = { absolute: 0, relative: 1e-4 };

/**
 * Fused kernel versus the composite loop: both are float32 implementations of the same
 * equations that only sum in different orders, so they must agree as tightly as either agrees
 * with the float64 goldens.
 */
export const FUSED_AGREEMENT_TOLERANCE: Tolerance = GOLDEN_GRADIENT_TOLERANCE;

/**
 * Finite-difference checks. The loss is evaluated in float32 on the backend, so each evaluation
 * carries a rounding error of about `2^-24 * Σ|P·y|` per rounding (P the random projection, y the output);
 * a central difference divides that by the step `2h` and amplifies it to ~1e-4 relative with
 * h = 2^-10, while the truncation error of the central difference is O(h²) ≈ 1e-6. A relative
 * bound of 1e-2 on the directional derivative is therefore honest for float32: it cannot
 * flake, yet catches any wrong rule (a wrong sign, a missing factor, a dropped broadcast sum
 * all give errors of order 1). The tight parity checks are the golden comparisons.
 */
export const FINITE_DIFFERENCE_RELATIVE = 1e-2;

/**
 * The absolute floor of a finite-difference check, as a multiple of the float32 evaluation
 * noise bound `2^-24 * Σ|P·y| / h` (so directional derivatives that are exactly zero, such as
 * those of `step` or `sign`, are judged against the noise the evaluation itself carries).
 */
export const FINITE_DIFFERENCE_NOISE_FACTOR = 16;

/** Step of the central differences: a power of two, so `x ± h` is exact on the quantized inputs. */
export const FINITE_DIFFERENCE_STEP = 2 ** -10;
