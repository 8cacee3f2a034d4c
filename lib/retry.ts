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

/**
 * Rejects when `promise` has not settled within `ms` (the work itself goes on). For answers a
 * platform waits for: better a retryable error in time than a connection the platform gives up on.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  // One promise and one timer (no race or finally chain): it runs once per acknowledged delivery. The work
  // may still fail after the deadline won: its rejection is handled here, never unhandled.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
