import type { Clock } from './clock.js';

/** A rate: `perSecond` tokens come back each second, at most `burst` are kept. */
export interface BucketRate {
  perSecond: number;
  burst: number;
}

/** What a take or a check answers: allowed, or refused with the wait until a token is back. */
export type BucketAnswer = { ok: true } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by key (an address, a token), in memory. Memory is bounded twice: a key idle long
 * enough for its bucket to be full again carries no state worth keeping and is dropped (the map is in
 * last-touched order, so the sweep stops at the first recent key); and above `maxKeys` the key idle
 * the longest is forgotten — under a flood of distinct keys an attacker's own oldest key goes first.
 */
export class KeyedTokenBuckets {
  readonly #rate: BucketRate;
  readonly #clock: Clock;
  readonly #maxKeys: number;
  /** How long an untouched bucket takes to be full from empty: after that it equals a fresh one. */
  readonly #idleMs: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(rate: BucketRate, clock: Clock, options: { maxKeys?: number } = {}) {
    if (!(rate.perSecond > 0) || !(rate.burst >= 1)) throw new Error('a token bucket needs perSecond > 0 and burst >= 1');
    this.#rate = rate;
    this.#clock = clock;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#idleMs = (rate.burst / rate.perSecond) * 1000;
  }

  /** Takes one token of `key`'s bucket, or says how long until one is back. */
  take(key: string): BucketAnswer {
    return this.#answer(key, true);
  }

  /** Whether `key` has a token now, without taking it (for limits charged only on failure). */
  check(key: string): BucketAnswer {
    return this.#answer(key, false);
  }

  /** Keys held now (for tests and the bound). */
  get size(): number {
    return this.#buckets.size;
  }

  #answer(key: string, take: boolean): BucketAnswer {
    const now = this.#clock.now().getTime();
    this.#sweep(now);
    const bucket = this.#refilled(this.#buckets.get(key), now);
    if (bucket.tokens >= 1) {
      if (!take) return { ok: true };
      bucket.tokens -= 1;
      this.#touch(key, bucket);
      return { ok: true };
    }
    // A refused take changes nothing but the order: the key is still being used.
    if (this.#buckets.has(key)) this.#touch(key, bucket);
    return { ok: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / this.#rate.perSecond) * 1000) };
  }

  #refilled(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: this.#rate.burst, at: now };
    const elapsed = Math.max(0, now - bucket.at);
    return { tokens: Math.min(this.#rate.burst, bucket.tokens + (elapsed / 1000) * this.#rate.perSecond), at: now };
  }

  #touch(key: string, bucket: Bucket): void {
    // Delete then set: a Map iterates in insertion order, so the least recently used key comes first.
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (now - bucket.at < this.#idleMs) return;
      this.#buckets.delete(key);
    }
  }
}
