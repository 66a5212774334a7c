/**
 * Whole-row helpers for the kernels that keep a sequence's buffers in this module: filling
 * rows with one vector (a bias that seeds the input projection) and summing rows (a bias
 * gradient). Row-major float32 with strides in floats.
 */

/** Rows [0, rows) of `target` (stride `stride`) = the `width` floats at `seed`. */
export function seedRows(rows: i32, width: i32, seed: usize, target: usize, stride: i32): void {
  const bytes = <usize>width << 2;
  for (let r = 0; r < rows; r++) memory.copy(target + (<usize>(r * stride) << 2), seed, bytes);
}

/**
 * out[j] = the sum over rows of values[r][j], in float64 (`sums`, `width` doubles), rounded to
 * float32 once. Four rows per pass, added one after another, ((((s + a) + b) + c) + d): the
 * same additions in the same order as backend-ts's TypeScript `columnSums`.
 */
export function columnSums(rows: i32, width: i32, values: usize, stride: i32, sums: usize, out: usize): void {
  memory.fill(sums, 0, <usize>width << 3);
  const rowBytes = <usize>stride << 2;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const a = values + <usize>r * rowBytes;
    let j = 0;
    for (; j + 2 <= width; j += 2) {
      const at = sums + (<usize>j << 3);
      const column = <usize>j << 2;
      let s = f64x2.add(v128.load(at), pairAt(a + column));
      s = f64x2.add(s, pairAt(a + rowBytes + column));
      s = f64x2.add(s, pairAt(a + 2 * rowBytes + column));
      v128.store(at, f64x2.add(s, pairAt(a + 3 * rowBytes + column)));
    }
    for (; j < width; j++) {
      const at = sums + (<usize>j << 3);
      const column = <usize>j << 2;
      let s = load<f64>(at) + <f64>load<f32>(a + column);
      s += <f64>load<f32>(a + rowBytes + column);
      s += <f64>load<f32>(a + 2 * rowBytes + column);
      store<f64>(at, s + <f64>load<f32>(a + 3 * rowBytes + column));
    }
  }
  for (; r < rows; r++) {
    const a = values + <usize>r * rowBytes;
    for (let j = 0; j < width; j++) {
      const at = sums + (<usize>j << 3);
      store<f64>(at, load<f64>(at) + <f64>load<f32>(a + (<usize>j << 2)));
    }
  }
  for (let j = 0; j < width; j++) store<f32>(out + (<usize>j << 2), <f32>load<f64>(sums + (<usize>j << 3)));
}

/** Two float32 at `pointer` as float64 lanes. */
// @ts-ignore: decorator
@inline
function pairAt(pointer: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(pointer));
}
