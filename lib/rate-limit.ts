/** Spacing requests to a platform's limits: shared by the messengers' clients that need their own. */

/**
 * At most `perSecond` takes a second, spaced evenly (no bursts): each take reserves the next free
 * slot and waits for it. Cheap and fair; a platform that counts per second never sees more.
 */
export class SpacedLimiter {
  readonly #gapMs: number;
  #nextAt = 0;

  constructor(perSecond: number) {
    this.#gapMs = 1000 / perSecond;
  }

  /** Resolves when this request may go; `now` for tests. */
  take(now: () => number = Date.now): Promise<void> {
    const at = Math.max(now(), this.#nextAt);
    this.#nextAt = at + this.#gapMs;
    return sleepUntil(at, now);
  }
}

/**
 * The same spacing per key (a chat): two keys never wait for each other. Keys whose last slot is long
 * past are forgotten, so the map does not grow with every chat ever written to.
 */
export class KeyedSpacedLimiter {
  readonly #gapMs: number;
  readonly #nextAt = new Map<string, number>();

  constructor(perSecond: number) {
    this.#gapMs = 1000 / perSecond;
  }

  take(key: string, now: () => number = Date.now): Promise<void> {
    const t = now();
    if (this.#nextAt.size > 10_000) for (const [k, at] of this.#nextAt) if (at < t) this.#nextAt.delete(k);
    const at = Math.max(t, this.#nextAt.get(key) ?? 0);
    this.#nextAt.set(key, at + this.#gapMs);
    return sleepUntil(at, now);
  }
}

function sleepUntil(at: number, now: () => number): Promise<void> {
  const ms = at - now();
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
