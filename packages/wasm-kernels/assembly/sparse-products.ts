/**
 * Products with a mostly-zero A (one-hot inputs), computed from the nonzeros only, as
 * backend-ts's TypeScript sparse path computes them: each C entry summed in float64 over
 * A's nonzero entries in order, and rounded to float32 once. For a one-hot row that is a row
 * of B (plus the seed) rounded once: the input projection of a one-hot x is a row gather, its
 * weight gradient a scatter-add of gradient rows.
 *
 * Matrices are row-major float32 with the given strides in floats; accumulators are float64
 * scratch the caller provides.
 */

/** How many of `count` float32 values from `values` are nonzero. */
export function countNonzeros(values: usize, count: i32): i32 {
  let nonzeros = 0;
  const end = values + (<usize>count << 2);
  for (let at = values; at < end; at += 4) if (load<f32>(at) != 0) nonzeros++;
  return nonzeros;
}

/**
 * C[m × n] = seed + A[m × k] · B[k × n] (seed: n floats, or none when `seed` is 0), each row
 * accumulated in float64 in `accumulator` (n doubles) over the nonzero entries of A's row.
 */
export function sparseRowsTimes(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  aStride: i32,
  b: usize,
  bStride: i32,
  seed: usize,
  c: usize,
  cStride: i32,
  accumulator: usize,
): void {
  for (let i = 0; i < m; i++) {
    const aRow = a + (<usize>(i * aStride) << 2);
    const cRow = c + (<usize>(i * cStride) << 2);
    const only = onlyNonzero(aRow, k);
    if (only >= -1) {
      // At most one term (one-hot rows): seed + a * B[p] in one pass, the same float64 sums.
      const scale = only < 0 ? 0 : <f64>load<f32>(aRow + (<usize>only << 2));
      seededScaledRow(seed, scale, only < 0 ? 0 : b + (<usize>(only * bStride) << 2), cRow, n);
      continue;
    }
    if (seed !== 0) promoteRow(seed, accumulator, n);
    else memory.fill(accumulator, 0, <usize>n << 3);
    for (let p = 0; p < k; p++) {
      const scale = load<f32>(aRow + (<usize>p << 2));
      if (scale != 0) addScaledRow(<f64>scale, b + (<usize>(p * bStride) << 2), accumulator, n);
    }
    demoteRow(accumulator, cRow, n);
  }
}

/** The index of the one nonzero of the k floats at `row`, -1 when none, -2 when several. */
function onlyNonzero(row: usize, k: i32): i32 {
  let found = -1;
  for (let p = 0; p < k; p++) {
    if (load<f32>(row + (<usize>p << 2)) == 0) continue;
    if (found >= 0) return -2;
    found = p;
  }
  return found;
}

/**
 * target[j] = seed[j] + scale * row[j] summed in float64 and rounded once (seed 0: none; row
 * 0: no term). Adding a product to the seed, or to 0, is what the accumulator would do.
 */
function seededScaledRow(seed: usize, scale: f64, row: usize, target: usize, n: i32): void {
  const factor = f64x2.splat(scale);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    let sum = seed === 0 ? f64x2.splat(0) : f64x2.promote_low_f32x4(v128.load64_zero(seed + (<usize>j << 2)));
    if (row !== 0) sum = f64x2.add(sum, f64x2.mul(factor, f64x2.promote_low_f32x4(v128.load64_zero(row + (<usize>j << 2)))));
    v128.store64_lane(target + (<usize>j << 2), f32x4.demote_f64x2_zero(sum), 0);
  }
  if (j < n) {
    let sum = seed === 0 ? 0 : <f64>load<f32>(seed + (<usize>j << 2));
    if (row !== 0) sum += scale * <f64>load<f32>(row + (<usize>j << 2));
    store<f32>(target + (<usize>j << 2), <f32>sum);
  }
}

/**
 * C[k × n] = Aᵀ · B for A [m × k] and B [m × n]: row r of B is added, scaled, into the
 * float64 accumulator row p (`accumulators`, k × n doubles) of every nonzero A[r][p], rows r
 * in order (so each entry sums its terms in the order a walk down A's column p would).
 */
export function sparseTransposedTimes(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  aStride: i32,
  b: usize,
  bStride: i32,
  c: usize,
  cStride: i32,
  accumulators: usize,
): void {
  memory.fill(accumulators, 0, <usize>k * <usize>n << 3);
  for (let r = 0; r < m; r++) {
    const aRow = a + (<usize>(r * aStride) << 2);
    const bRow = b + (<usize>(r * bStride) << 2);
    for (let p = 0; p < k; p++) {
      const scale = load<f32>(aRow + (<usize>p << 2));
      if (scale != 0) addScaledRow(<f64>scale, bRow, accumulators + (<usize>(p * n) << 3), n);
    }
  }
  for (let p = 0; p < k; p++) demoteRow(accumulators + (<usize>(p * n) << 3), c + (<usize>(p * cStride) << 2), n);
}

/** sums[0 .. n) += scale * row[0 .. n), float32 row, float64 sums. */
// @ts-ignore: decorator
@inline
function addScaledRow(scale: f64, row: usize, sums: usize, n: i32): void {
  const factor = f64x2.splat(scale);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const at = sums + (<usize>j << 3);
    const terms = f64x2.mul(factor, f64x2.promote_low_f32x4(v128.load64_zero(row + (<usize>j << 2))));
    v128.store(at, f64x2.add(v128.load(at), terms));
  }
  if (j < n) {
    const at = sums + (<usize>j << 3);
    store<f64>(at, load<f64>(at) + scale * <f64>load<f32>(row + (<usize>j << 2)));
  }
}

/** n float32 values into float64. */
function promoteRow(from: usize, to: usize, n: i32): void {
  let j = 0;
  for (; j + 2 <= n; j += 2) v128.store(to + (<usize>j << 3), f64x2.promote_low_f32x4(v128.load64_zero(from + (<usize>j << 2))));
  if (j < n) store<f64>(to + (<usize>j << 3), <f64>load<f32>(from + (<usize>j << 2)));
}

/** n float64 values rounded to float32. */
function demoteRow(from: usize, to: usize, n: i32): void {
  let j = 0;
  for (; j + 2 <= n; j += 2) v128.store64_lane(to + (<usize>j << 2), f32x4.demote_f64x2_zero(v128.load(from + (<usize>j << 3))), 0);
  if (j < n) store<f32>(to + (<usize>j << 2), <f32>load<f64>(from + (<usize>j << 3)));
}
