import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { PollingLoop } from '../../models/polling-loop.js';
import { abortableSleep, backoffMs } from '../../models/retry.js';
import type { Logger } from '../../src/logger.js';

export interface PollerOptions {
  /** Long-poll timeout passed to getUpdates. */
  timeoutSeconds?: number;
  /** Lower bound between two polls that returned nothing (servers that do not long-poll). */
  idleDelayMs?: number;
  allowedUpdates?: readonly string[];
}

/**
 * Sequential long polling that acknowledges an update only after it was handled.
 *
 * Telegram drops updates below the `offset` of the next getUpdates call, so the offset advances past
 * an update only once `bot.handleUpdate` resolved — i.e. once intake committed it. If handling throws
 * (the database is down), the same update is fetched again after a backoff: nothing acknowledged is
 * lost. The grammY runner is not used here because it confirms updates as soon as they are fetched.
 */
export class TelegramPoller extends PollingLoop {
  readonly #bot: Bot;
  readonly #log: Logger;
  readonly #options: Required<PollerOptions>;
  #offset = 0;

  constructor(bot: Bot, log: Logger, options: PollerOptions = {}) {
    super();
    this.#bot = bot;
    this.#log = log;
    this.#options = {
      timeoutSeconds: options.timeoutSeconds ?? 25,
      idleDelayMs: options.idleDelayMs ?? 300,
      allowedUpdates: options.allowedUpdates ?? [],
    };
  }

  /** Stops fetching; an update being handled finishes first (its ack is never half-done). */
  override async stop(): Promise<void> {
    await super.stop();
    // Confirm what was handled, so the next start does not receive it again (intake would drop the
    // repeats anyway; this just saves the round trip). Best effort: a failure here loses nothing.
    if (this.#offset > 0) {
      await this.#bot.api.getUpdates({ offset: this.#offset, limit: 1, timeout: 0 }).catch(() => undefined);
    }
  }

  protected async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const startedAt = Date.now();
      let updates: Update[];
      try {
        updates = await this.#bot.api.getUpdates(
          {
            offset: this.#offset,
            timeout: this.#options.timeoutSeconds,
            allowed_updates: this.#options.allowedUpdates as never,
          },
          // grammY types the signal with its polyfill's AbortSignal; the native one works the same.
          signal as Parameters<Bot['api']['getUpdates']>[1],
        );
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        this.#log.warn({ err: error, failures }, 'getUpdates failed; retrying');
        await abortableSleep(backoffMs(failures), signal);
        continue;
      }
      failures = 0;
      for (const update of updates) {
        if (signal.aborted) break;
        try {
          await this.#bot.handleUpdate(update);
          this.#offset = update.update_id + 1;
        } catch (error) {
          // Not stored: do not advance. The next poll fetches this update again.
          failures++;
          this.#log.error({ err: error, updateId: update.update_id, failures }, 'update not handled; will retry');
          await abortableSleep(backoffMs(failures), signal);
          break;
        }
      }
      if (updates.length === 0 && Date.now() - startedAt < this.#options.idleDelayMs) {
        await abortableSleep(this.#options.idleDelayMs, signal);
      }
    }
  }
}
