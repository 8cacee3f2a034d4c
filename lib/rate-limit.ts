/**
 * Spacing requests to one chat (MAX's two a second). A bot's overall rate, with lanes for broadcasts, is
 * lib/pacer.ts.
 */

/**
 * At most `perSecond` takes a second per key (a chat), spaced evenly: two keys never wait for each other.
 * Keys whose last slot is long past are forgotten, so the map does not grow with every chat ever written to.
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
