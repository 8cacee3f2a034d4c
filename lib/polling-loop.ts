/**
 * A background loop that can be started once and stopped cleanly: stop() aborts the signal the loop
 * watches and waits for the iteration in progress to finish (an update half-handled is never cut off).
 */
export abstract class PollingLoop {
  #abort = new AbortController();
  #loop: Promise<void> | null = null;

  start(): void {
    if (this.#loop) return;
    this.#abort = new AbortController();
    this.#loop = this.run(this.#abort.signal);
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
    this.#loop = null;
  }

  /** The loop itself; it must return soon after `signal` aborts. */
  protected abstract run(signal: AbortSignal): Promise<void>;
}
