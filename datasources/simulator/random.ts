// Seeded random draws for the synthetic generator: same seed, same enterprise, every time.
import seedrandom from 'seedrandom';

export class Draws {
  private readonly rng: seedrandom.PRNG;
  constructor(seed: string) {
    this.rng = seedrandom(seed);
  }
  /** Uniform [0, 1). */
  next(): number {
    return this.rng();
  }
  chance(p: number): boolean {
    return this.rng() < p;
  }
  int(minInclusive: number, maxInclusive: number): number {
    return minInclusive + Math.floor(this.rng() * (maxInclusive - minInclusive + 1));
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.rng(), 1e-12);
    const v = this.rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  poisson(lambda: number): number {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.rng();
    while (p > limit) {
      k++;
      p *= this.rng();
    }
    return k;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.rng() * items.length)];
    if (item === undefined) throw new Error('pick from empty list');
    return item;
  }
  /** Pick by weights (need not sum to 1). */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.rng() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (!last) throw new Error('weighted pick from empty list');
    return last[0];
  }
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
