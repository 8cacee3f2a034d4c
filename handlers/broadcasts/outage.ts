import type { BroadcastChannel, BulkResult } from '../../models/broadcast.js';

/**
 * Different recipients of one broadcast failing on the platform's side in a row on a messenger, with no
 * answer from it between them, that mean it is down (one recipient failing again and again is that
 * recipient's failure, and spends its attempts at the short back-off).
 */
export const OUTAGE_AFTER = 3;
/** The wait after a recipient's first try in an outage; it doubles with each of its tries, up to `OUTAGE_MAX_SECONDS`. */
export const OUTAGE_FIRST_SECONDS = 60;
export const OUTAGE_MAX_SECONDS = 900;

/** The wait after a recipient's `attempts`-th try failed in an outage: 1, 2, 4, 8, 15, 15 … minutes. */
export const outageWaitSeconds = (attempts: number): number =>
  Math.min(OUTAGE_MAX_SECONDS, OUTAGE_FIRST_SECONDS * 2 ** Math.max(0, attempts - 1));

/**
 * Tells a messenger that is down from a recipient that fails, per broadcast and messenger. Only failures
 * the port marks `transient` (the platform unreachable or failing on its side: the network, a timeout,
 * HTTP 5xx, VK's errors 1 and 10) count; a permanent failure (a 4xx, a per-recipient refusal, the content
 * rejected) is the recipient's, and like a delivery or a blocked chat it shows the messenger answers.
 *
 * After `OUTAGE_AFTER` different recipients failed transiently in a row, a transient failure waits
 * `outageWaitSeconds` instead of the seconds of the back-off: the broadcast waits the outage out rather
 * than spending every recipient's attempts in half a minute. Every try still spends an attempt, so after
 * `maxAttempts` the recipient is stamped failed and an outage that does not end ends the broadcast (with
 * the default 8 attempts a recipient waits about an hour of outage — `maxAttempts` is the outage tolerance).
 *
 * The state is kept per broadcast: one broadcast whose sends fail (its picture, its content) never turns
 * another's failures into waits. One tracker per process, its entries dropped when a broadcast ends.
 */
export class OutageTracker {
  readonly #streaks = new Map<string, Set<number>>();

  /**
   * The batch's results as the sender stamps them: during an outage a transient failure waits the
   * outage's wait for the recipient's `attempts` (tries so far, this one included).
   */
  adjust(
    channel: BroadcastChannel,
    broadcastId: number,
    results: readonly BulkResult[],
    attempts: ReadonlyMap<number, number> = new Map(),
  ): BulkResult[] {
    const key = keyOf(channel, broadcastId);
    const out: BulkResult[] = [];
    for (const result of results) {
      if (result.status === 'retry') {
        // Slowing down says nothing either way (and spends nothing).
        out.push(result);
        continue;
      }
      if (result.status !== 'failed' || !result.transient) {
        // The messenger answered (a delivery, a blocked chat, a refusal of this recipient): no outage.
        this.#streaks.delete(key);
        out.push(result);
        continue;
      }
      const streak = this.#streaks.get(key) ?? new Set<number>();
      if (streak.size < OUTAGE_AFTER) streak.add(result.seq);
      this.#streaks.set(key, streak);
      if (streak.size < OUTAGE_AFTER) {
        // A broadcast with one or two recipients on a messenger never makes a streak: a recipient that fails
        // on the platform's side again waits as in an outage (1, 2, 4… minutes), not seconds.
        const tries = attempts.get(result.seq) ?? 1;
        out.push(tries >= 2 ? { ...result, afterSeconds: outageWaitSeconds(tries - 1) } : result);
        continue;
      }
      out.push({
        ...result,
        reason: `${channel} unavailable: ${result.reason}`,
        afterSeconds: outageWaitSeconds(attempts.get(result.seq) ?? 1),
      });
    }
    return out;
  }

  /** True while a messenger is taken for down for this broadcast. */
  down(channel: BroadcastChannel, broadcastId: number): boolean {
    return (this.#streaks.get(keyOf(channel, broadcastId))?.size ?? 0) >= OUTAGE_AFTER;
  }

  /** The broadcast ended: its state goes. */
  forget(broadcastId: number): void {
    for (const key of this.#streaks.keys()) if (key.endsWith(`:${broadcastId}`)) this.#streaks.delete(key);
  }
}

const keyOf = (channel: BroadcastChannel, broadcastId: number) => `${channel}:${broadcastId}`;
