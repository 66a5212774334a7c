/**
 * The mulberry32 generator exactly as `workloads.md` spells it: one 32-bit state, each call
 * advances it by 0x6D2B79F5 and mixes it into a float in [0, 1). Every system's synthetic data
 * comes from this one stream, so all of them train and infer on the same numbers.
 *
 * @example
 * const u = mulberry32(42);
 * const id = Math.floor(u() * 64);
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
