import type { BroadcastChannel, BulkResult } from '../../models/broadcast.js';

/**
 * Different recipients failing in a row on a messenger, with no delivery between them, that mean it is
 * down (one recipient failing again and again is that recipient's failure, and spends its attempts).
 */
export const OUTAGE_AFTER = 3;
/** The first wait of an outage; it doubles with every failed try, up to `OUTAGE_MAX_SECONDS`. */
const OUTAGE_FIRST_SECONDS = 5;
const OUTAGE_MAX_SECONDS = 300;

/**
 * Tells a messenger that is down (its API unreachable, 5xx on every call) from a recipient that fails:
 * after `OUTAGE_AFTER` failures in a row with no delivery, failures are turned into waits that spend no
 * attempt — the sender waits the outage out however long it lasts, instead of stamping every recipient
 * `failed` after `maxAttempts` quick tries — until a send is accepted again. One tracker per process,
 * shared by every broadcast (an outage of Telegram is everyone's).
 */
export class OutageTracker {
  readonly #streak = new Map<BroadcastChannel, Set<string>>();
  readonly #waits = new Map<BroadcastChannel, number>();

  /** The batch's results as the sender stamps them: failures during an outage become `retry`. */
  adjust(channel: BroadcastChannel, broadcastId: number, results: readonly BulkResult[]): BulkResult[] {
    const out: BulkResult[] = [];
    for (const result of results) {
      const r = { ...result, recipient: `${broadcastId}:${result.seq}` };
      if (r.status === 'sent' || r.status === 'blocked') {
        // The messenger answers: the outage (if any) is over.
        this.#streak.delete(channel);
        this.#waits.delete(channel);
        out.push(result);
        continue;
      }
      if (r.status !== 'failed') {
        out.push(result);
        continue;
      }
      const streak = this.#streak.get(channel) ?? new Set<string>();
      streak.add(r.recipient);
      this.#streak.set(channel, streak);
      if (streak.size < OUTAGE_AFTER) {
        out.push(result);
        continue;
      }
      const wait = this.#waits.get(channel) ?? OUTAGE_FIRST_SECONDS;
      this.#waits.set(channel, Math.min(OUTAGE_MAX_SECONDS, wait * 2));
      out.push({ seq: r.seq, status: 'retry', afterSeconds: wait, reason: `${channel} unavailable: ${r.reason}` });
    }
    return out;
  }

  /** True while a messenger is taken for down. */
  down(channel: BroadcastChannel): boolean {
    return (this.#streak.get(channel)?.size ?? 0) >= OUTAGE_AFTER;
  }
}
