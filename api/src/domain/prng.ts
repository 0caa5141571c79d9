/**
 * Deterministic randomness. Every random draw in the generator comes from a stream keyed by
 * (seed, what it is for): the same key always yields the same numbers, whatever else was
 * generated before, so a day, a well or a month can be produced on its own, in any order, in
 * any process. Math.random and the clock are never used for data.
 */

/** 32-bit FNV-1a over a string, finished with the murmur3 avalanche so near keys diverge. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export type KeyPart = string | number;

export function keyHash(seed: number, parts: readonly KeyPart[]): number {
  return hash32(`${seed}|${parts.join('|')}`);
}

/** A seeded generator (mulberry32: tiny, fast, good enough for synthetic data). */
export class Rng {
  private state: number;

  constructor(seed: number, ...parts: KeyPart[]) {
    this.state = keyHash(seed, parts);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return this.pick(items);
  }

  /** Knuth's method: fine for the small means used here (a few events per well-day). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Approximately normal (sum of uniforms), bounded to +-3 sd, which keeps amounts sane. */
  normal(mean: number, sd: number): number {
    let s = 0;
    for (let i = 0; i < 6; i++) s += this.next();
    return mean + sd * (s - 3) * Math.SQRT2;
  }
}
