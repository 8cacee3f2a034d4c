/** A seeded pseudo-random generator (mulberry32) and the few distributions the demo history needs. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Log-normal around `median`; `spread` is the sigma of the log (0.5 ≈ most values within ×0.4…×2.7). */
  logNormal(median: number, spread: number): number {
    const u = 1 - this.next();
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(spread * z);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/** Cumulative weights for repeated weighted picks by binary search. */
export class WeightedPicker<T> {
  readonly #items: readonly T[];
  readonly #cumulative: Float64Array;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.#items = entries.map(([item]) => item);
    this.#cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, weight], i) => {
      sum += Math.max(0, weight);
      this.#cumulative[i] = sum;
    });
    if (sum <= 0) throw new RangeError('WeightedPicker: every weight is zero');
  }

  get total(): number {
    return this.#cumulative[this.#cumulative.length - 1] ?? 0;
  }

  pick(random: Random): T {
    const target = random.next() * this.total;
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.#items[lo] as T;
  }
}
