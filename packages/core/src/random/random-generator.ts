/**
 * Design: all randomness in Recur (initial weights, dropout masks, shuffling, sampling) comes
 * from this seedable generator, run on the host in core, so the same seed gives the same
 * numbers on every backend. The core is mulberry32 (32-bit state, fast, good enough for
 * initialisation and shuffling); normals use the Box–Muller transform.
 */
export class RandomGenerator {
  private state: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The generator's full state, so training can resume with the same stream. */
  snapshot(): { state: number; spareNormal: number | null } {
    return { state: this.state, spareNormal: this.spareNormal };
  }

  restore(snapshot: { state: number; spareNormal: number | null }): void {
    this.state = snapshot.state >>> 0;
    this.spareNormal = snapshot.spareNormal;
  }

  /** A float in [0, 1). */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A standard normal draw. */
  normal(): number {
    if (this.spareNormal !== null) {
      const value = this.spareNormal;
      this.spareNormal = null;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  integer(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A new generator seeded from this one (for independent streams). */
  fork(): RandomGenerator {
    return new RandomGenerator(Math.floor(this.uniform() * 4294967296));
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = k;
    for (let k = n - 1; k > 0; k--) {
      const j = this.integer(k + 1);
      const held = order[k];
      order[k] = order[j];
      order[j] = held;
    }
    return order;
  }
}
