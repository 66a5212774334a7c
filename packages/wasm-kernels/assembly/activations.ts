/**
 * The logistic sigmoid and tanh on two float64 lanes (f64x2), for float32 results within
 * 1 ulp of the exact value: both are built on one expm1, computed in float64 with an error
 * near 2e-11 relative, far below float32's half ulp (3e-8), so the only error float32 can see
 * is the final rounding (correctly rounded but for exact results within about 2e-11 of a
 * midpoint between two floats: in a sweep of 12.6 million values of each, 12 sigmoids and 18
 * tanh came out 1 ulp from the correctly rounded value).
 *
 * Why float64 and expm1: in float32, the range reduction and the polynomial each add an ulp
 * or two, and tanh near 0 from exp alone ((e - 1) / (e + 1)) loses every digit to
 * cancellation. expm1(x) = exp(x) - 1 keeps its relative precision near 0, and
 *   tanh(x)    = expm1(2x) / (expm1(2x) + 2)
 *   sigmoid(x) = 1 / (2 + expm1(-x))
 * are then accurate over the whole range, sign included, with no branch.
 *
 * expm1: x = k ln2 + r with k = nearest(x / ln2), |r| <= ln2 / 2; exp(r) - 1 by its Taylor
 * series to r^9 (the first term left out, r^10 / 10!, is below 2e-11 of the result), then
 * expm1(x) = 2^k (exp(r) - 1) + (2^k - 1), exact for k = 0, where the relative precision
 * matters. Inputs are clamped to ±MAX_ARGUMENT first: beyond it every float32 result is
 * already 0, 1, ±1 or infinite, and 2^k stays a normal float64. NaN stays NaN.
 *
 * Cost matters here (five of these per LSTM unit and step), so every step is the cheapest
 * exact one: the clamp by pmin / pmax, 2^k from the bits of a float64 sum, the series in
 * Estrin's order.
 */

/** |x| beyond which exp(x) overflows float32 (x > 88.8) or rounds to 0 (x < -103.9). */
const MAX_ARGUMENT: f64 = 110;
const LOG2_E: f64 = 1.4426950408889634;
// ln 2 split in two so k * LN2_HIGH is exact (its low 21 bits are zero and |k| < 2^8).
const LN2_HIGH: f64 = 0.6931471803691238;
const LN2_LOW: f64 = 1.9082149292705877e-10;
/** 2^52 + 1023: adding an integer k in [-160, 160] gives a float64 whose low bits are k + 1023. */
const EXPONENT_BIAS_MAGIC: f64 = 4503599627371519;

/** exp(x) - 1 on both lanes. */
// @ts-ignore: decorator
@inline
export function expm1x2(x: v128): v128 {
  // pmax / pmin (one instruction each, where min / max take several to order zeros and NaN):
  // a NaN x fails both comparisons and passes through.
  x = f64x2.pmin(f64x2.pmax(x, f64x2.splat(-MAX_ARGUMENT)), f64x2.splat(MAX_ARGUMENT));
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(LOG2_E)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HIGH))), f64x2.mul(k, f64x2.splat(LN2_LOW)));
  // exp(r) - 1 = r (1 + r/2! + r^2/3! + ... + r^8/9!), in Estrin's order: pairs of terms, then
  // pairs of pairs with r^2, r^4, r^8, so the dependent chain is four multiply-adds deep
  // rather than the nine of Horner's order.
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const q0 = f64x2.add(f64x2.splat(1), f64x2.mul(r, f64x2.splat(1.0 / 2.0)));
  const q1 = f64x2.add(f64x2.splat(1.0 / 6.0), f64x2.mul(r, f64x2.splat(1.0 / 24.0)));
  const q2 = f64x2.add(f64x2.splat(1.0 / 120.0), f64x2.mul(r, f64x2.splat(1.0 / 720.0)));
  const q3 = f64x2.add(f64x2.splat(1.0 / 5040.0), f64x2.mul(r, f64x2.splat(1.0 / 40320.0)));
  const low = f64x2.add(q0, f64x2.mul(q1, r2));
  const high = f64x2.add(q2, f64x2.mul(q3, r2));
  const p = f64x2.add(f64x2.add(low, f64x2.mul(high, r4)), f64x2.mul(r8, f64x2.splat(1.0 / 362880.0)));
  const expm1r = f64x2.mul(p, r);
  // 2^k from its bits, exponent field k + 1023 and mantissa 0: 2^52 + 1023 + k is exact and
  // holds k + 1023 in its low mantissa bits, which the shift moves into the exponent field.
  // (NaN lanes give some scale, and stay NaN.)
  const scale = i64x2.shl(f64x2.add(k, f64x2.splat(EXPONENT_BIAS_MAGIC)), 52);
  return f64x2.add(f64x2.mul(scale, expm1r), f64x2.sub(scale, f64x2.splat(1)));
}

/** 1 / (1 + exp(-x)) on both lanes. */
// @ts-ignore: decorator
@inline
export function sigmoidx2(x: v128): v128 {
  return f64x2.div(f64x2.splat(1), f64x2.add(f64x2.splat(2), expm1x2(f64x2.neg(x))));
}

/** tanh(x) on both lanes. */
// @ts-ignore: decorator
@inline
export function tanhx2(x: v128): v128 {
  const e = expm1x2(f64x2.add(x, x));
  // The quotient has the sign of x already; taking x's sign bit also gives tanh(-0) = -0.
  return v128.bitselect(x, f64x2.div(e, f64x2.add(e, f64x2.splat(2))), f64x2.splat(-0.0));
}

/** Two float32 at `pointer` (one when `single`: the odd one at the end of a row) as float64 lanes. */
// @ts-ignore: decorator
@inline
export function loadPair(pointer: usize, single: bool): v128 {
  return f64x2.promote_low_f32x4(single ? v128.load32_zero(pointer) : v128.load64_zero(pointer));
}

/** Float64 lanes rounded to float32 and stored at `pointer` (only the first when `single`). */
// @ts-ignore: decorator
@inline
export function storePair(pointer: usize, value: v128, single: bool): void {
  const rounded = f32x4.demote_f64x2_zero(value);
  if (single) v128.store32_lane(pointer, rounded, 0);
  else v128.store64_lane(pointer, rounded, 0);
}

/** Float64 lanes rounded to float32 and back: what a float32 array would hold. */
// @ts-ignore: decorator
@inline
export function roundToFloat32(value: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(value));
}

/**
 * target[0 .. count) = sigmoid(source[...]) (`kind` 0) or tanh(source[...]) (`kind` 1), float32
 * arrays. Exported for the accuracy tests; the LSTM cell uses the lane functions directly.
 */
export function activateValues(kind: i32, source: usize, target: usize, count: i32): void {
  const end = source + (<usize>count << 2);
  for (; source + 8 <= end; source += 8, target += 8) {
    const x = loadPair(source, false);
    storePair(target, kind === 0 ? sigmoidx2(x) : tanhx2(x), false);
  }
  if (source < end) {
    const x = loadPair(source, true);
    storePair(target, kind === 0 ? sigmoidx2(x) : tanhx2(x), true);
  }
}
