/** Waiting between attempts: shared by every loop that retries a platform or the database. */

/** Exponential backoff: 500 ms, 1 s, 2 s … capped at 30 s (attempt counts from 1). */
export function backoffMs(attempt: number, firstMs = 500): number {
  return Math.min(30_000, firstMs * 2 ** Math.min(attempt - 1, 6));
}

/** Resolves after `ms`, or at once when `signal` aborts (a stop must not wait out a backoff). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolveSleep) => {
    if (signal.aborted) return resolveSleep();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolveSleep();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
