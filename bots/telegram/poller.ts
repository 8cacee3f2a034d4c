import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from 'pino';
import { PollingLoop } from '../../lib/polling-loop.js';
import { abortableSleep, backoffMs } from '../../lib/retry.js';

export interface PollerOptions {
  /** Long-poll timeout passed to getUpdates. */
  timeoutSeconds?: number;
  /** Lower bound between two polls that returned nothing (servers that do not long-poll). */
  idleDelayMs?: number;
  allowedUpdates?: readonly string[];
}

/**
 * Sequential long polling that acknowledges updates only after they are stored.
 *
 * Telegram drops updates below the `offset` of the next getUpdates call, so the offset advances past
 * a batch only once `accept` resolved — i.e. once the inbox committed it (and the updates that can
 * never be processed were parked). Deciding on them happens later, in the inbox workers. If the
 * commit throws (the database is down), the same batch is fetched again after a backoff: nothing
 * acknowledged is lost. The grammY runner is not used because it confirms updates on fetch.
 */
export class TelegramPoller extends PollingLoop {
  readonly #api: Api;
  readonly #accept: (updates: Update[]) => Promise<void>;
  readonly #log: Logger;
  readonly #options: Required<PollerOptions>;
  #offset = 0;

  constructor(api: Api, accept: (updates: Update[]) => Promise<void>, log: Logger, options: PollerOptions = {}) {
    super();
    this.#api = api;
    this.#accept = accept;
    this.#log = log;
    this.#options = {
      timeoutSeconds: options.timeoutSeconds ?? 25,
      idleDelayMs: options.idleDelayMs ?? 300,
      allowedUpdates: options.allowedUpdates ?? [],
    };
  }

  /** Stops fetching; a batch being stored finishes first (its ack is never half-done). */
  override async stop(): Promise<void> {
    await super.stop();
    // Confirm what was stored, so the next start does not receive it again (the inbox would drop the
    // repeats anyway; this just saves the round trip). Best effort: a failure here loses nothing.
    if (this.#offset > 0) {
      await this.#api.getUpdates({ offset: this.#offset, limit: 1, timeout: 0 }).catch(() => undefined);
    }
  }

  protected async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const startedAt = Date.now();
      let updates: Update[];
      try {
        updates = await this.#api.getUpdates(
          {
            offset: this.#offset,
            timeout: this.#options.timeoutSeconds,
            allowed_updates: this.#options.allowedUpdates as never,
          },
          // grammY types the signal with its polyfill's AbortSignal; the native one works the same.
          signal as Parameters<Api['getUpdates']>[1],
        );
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        this.#log.warn({ err: error, failures }, 'getUpdates failed; retrying');
        await abortableSleep(backoffMs(failures), signal);
        continue;
      }
      if (updates.length > 0) {
        try {
          await this.#accept(updates);
          const last = updates.reduce((max, u) => Math.max(max, typeof u.update_id === 'number' ? u.update_id : 0), 0);
          this.#offset = Math.max(this.#offset, last + 1);
          failures = 0;
        } catch (error) {
          // Not stored: do not advance. The next poll fetches the same updates again.
          failures++;
          this.#log.error({ err: error, failures }, 'updates not stored; the offset stays and they are fetched again');
          await abortableSleep(backoffMs(failures), signal);
          continue;
        }
      } else failures = 0;
      if (updates.length === 0 && Date.now() - startedAt < this.#options.idleDelayMs) {
        await abortableSleep(this.#options.idleDelayMs, signal);
      }
    }
  }
}
