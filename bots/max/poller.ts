import type { Logger } from 'pino';
import { PollingLoop } from '../../lib/polling-loop.js';
import { abortableSleep, backoffMs } from '../../lib/retry.js';
import { type MaxApiPort, MaxError, MaxRateLimited } from './api.js';
import { maxErrorLog } from './outbound.js';

/** Where the marker is kept between runs (`channelCursor` of handlers/intake, one name per bot). */
export interface MaxCursorStore {
  load(): Promise<string | null>;
  save(marker: string): Promise<void>;
}

export interface MaxPollerDeps {
  api: MaxApiPort;
  /** Commits a batch to the inbox (refused updates to the dead letters); rejects when it could not. */
  accept: (updates: unknown[]) => Promise<void>;
  /** The cursor of this bot, once GET /me has named it. */
  cursorFor: (botId: number) => MaxCursorStore;
  /** Called once GET /me answered (the bot's username, for invite links). */
  onIdentified?: (me: { userId: number; username: string | null }) => void;
  log: Logger;
  types: readonly string[];
  timeoutSeconds?: number;
}

/**
 * Long polling of `GET /updates` with acknowledgement after storage. MAX confirms every update below
 * the `marker` a request passes, so the marker moves (and is saved) only once the batch was committed
 * to the inbox: a crash fetches the batch again and the inbox drops the repeats; a restart resumes
 * from the saved marker, so what came meanwhile is read, none of it twice. The SDK's own polling is
 * not used: it moves the marker before its handlers run.
 */
export class MaxPoller extends PollingLoop {
  constructor(private readonly deps: MaxPollerDeps) {
    super();
  }

  protected async run(signal: AbortSignal): Promise<void> {
    const cursor = await this.#identify(signal);
    if (!cursor) return;
    const saved = await this.#retrying(signal, () => cursor.load());
    if (saved === undefined) return;
    let marker = saved === null || !/^\d{1,19}$/.test(saved) ? null : Number(saved);
    let failures = 0;
    while (!signal.aborted) {
      try {
        const batch = await this.deps.api.updates(
          { marker, timeoutSeconds: this.deps.timeoutSeconds ?? 25, limit: 100, types: this.deps.types },
          signal,
        );
        if (batch.updates.length > 0) await this.deps.accept(batch.updates);
        if (batch.marker !== null && batch.marker !== marker) {
          marker = batch.marker;
          await cursor.save(String(marker));
        }
        failures = 0;
      } catch (error) {
        if (signal.aborted) return;
        failures++;
        const delayMs = error instanceof MaxRateLimited ? error.afterSeconds * 1000 : backoffMs(failures);
        this.deps.log.warn(
          { ...maxErrorLog(error), failures, retryInMs: delayMs },
          'MAX updates not read or not stored; the same batch is read again',
        );
        await abortableSleep(delayMs, signal);
      }
    }
  }

  /** GET /me until it answers: the bot's id names its cursor. A wrong token is said plainly. */
  async #identify(signal: AbortSignal): Promise<MaxCursorStore | null> {
    const me = await this.#retrying(signal, () => this.deps.api.me());
    if (!me) return null;
    this.deps.onIdentified?.(me);
    return this.deps.cursorFor(me.userId);
  }

  async #retrying<T>(signal: AbortSignal, call: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (signal.aborted) break;
        const delayMs = backoffMs(attempt, 1_000);
        if (error instanceof MaxError && error.status === 401)
          this.deps.log.error({ retryInMs: delayMs }, 'MAX Bot API refused the token (401): check MAX_BOT_TOKEN');
        else this.deps.log.warn({ reason: reasonOf(error), attempt, retryInMs: delayMs }, 'MAX Bot API unreachable; retrying');
        await abortableSleep(delayMs, signal);
      }
    }
    return undefined;
  }
}

/** What failed, without MAX's error message (it can name a chat or a user): the status and code, or the error's own message. */
function reasonOf(error: unknown): string {
  if (error instanceof MaxError) return `MAX Bot API ${error.status} ${error.code ?? ''}`.trim();
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
