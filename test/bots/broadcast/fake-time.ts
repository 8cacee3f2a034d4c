/**
 * A clock and a sleep that move only when told to, for the pacer: `advance(ms)` fires the due sleeps
 * in time order, letting the promise chains they wake run before the next one.
 */
export class FakeTime {
  t = 0;
  readonly #timers: { at: number; resolve: () => void }[] = [];

  readonly now = (): number => this.t;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.#timers.push({ at: this.t + Math.max(0, ms), resolve });
    });

  /** Moves time forward by `ms`, waking every sleep due on the way, at its own moment. */
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      await settle();
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers[0];
      if (!next || next.at > until) break;
      this.#timers.shift();
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    this.t = until;
    await settle();
  }
}

/** Lets every pending promise continuation run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
