import type { Logger } from 'pino';
import { PollingLoop } from '../../lib/polling-loop.js';
import { abortableSleep, backoffMs } from '../../lib/retry.js';
import type { VkApiPort } from './api.js';
import type { VkEvent } from './translate.js';

export interface VkCursorStore {
  load(): Promise<string | null>;
  save(ts: string): Promise<void>;
}

/**
 * Bots Long Poll with acknowledgement after storage: `ts` advances (and is saved) only once the
 * batch was committed to the inbox, so a crash re-reads the batch and the inbox drops the repeats.
 * The saved `ts` lets a restart resume where it stopped instead of skipping what came meanwhile.
 */
export class VkLongPoll extends PollingLoop {
  constructor(
    private readonly deps: {
      api: VkApiPort;
      groupId: number;
      /** Commits a batch to the inbox (refused events to the dead letters); rejects when it could not. */
      accept: (events: VkEvent[]) => Promise<void>;
      cursor: VkCursorStore;
      log: Logger;
      waitSeconds?: number;
      fetch?: typeof fetch;
    },
  ) {
    super();
  }

  protected async run(signal: AbortSignal): Promise<void> {
    const doFetch = this.deps.fetch ?? fetch;
    let session: { server: string; key: string; ts: string } | null = null;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!session) {
          const fresh = await this.deps.api.getLongPollServer(this.deps.groupId);
          const saved = await this.deps.cursor.load();
          session = { ...fresh, ts: saved ?? fresh.ts };
        }
        const url = `${session.server}?act=a_check&key=${encodeURIComponent(session.key)}&ts=${encodeURIComponent(session.ts)}&wait=${this.deps.waitSeconds ?? 25}`;
        const response = await doFetch(url, { signal });
        const body = (await response.json()) as { ts?: string | number; updates?: VkEvent[]; failed?: number };
        if (body.failed === 1) {
          // History is older than VK keeps: take the new ts (VK says some events may be lost).
          this.deps.log.warn({ failed: 1 }, 'VK long poll history expired; continuing from the new ts');
          session.ts = String(body.ts);
          await this.deps.cursor.save(session.ts);
          continue;
        }
        if (body.failed === 2 || body.failed === 3) {
          const ts = session.ts;
          session = null;
          if (body.failed === 2) await this.deps.cursor.save(ts);
          continue;
        }
        const events = (Array.isArray(body.updates) ? body.updates : []).map((event) =>
          event && typeof event === 'object' ? { ...event, group_id: event.group_id ?? this.deps.groupId } : event,
        );
        if (events.length > 0) await this.deps.accept(events);
        if (body.ts !== undefined) {
          session.ts = String(body.ts);
          await this.deps.cursor.save(session.ts);
        }
        failures = 0;
      } catch (error) {
        if (signal.aborted) return;
        failures++;
        const delayMs = backoffMs(failures);
        this.deps.log.warn({ err: error, failures, retryInMs: delayMs }, 'VK long poll failed; the batch will be read again');
        await abortableSleep(delayMs, signal);
      }
    }
  }
}
