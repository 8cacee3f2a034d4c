/**
 * A rate gate for one messenger bot (one token): every send of the bot — a case acknowledgement or a
 * broadcast's ten-thousandth message — takes a token here first, so the bot as a whole stays under the
 * platform's published rate, and sends of a higher lane never queue behind a lower one.
 *
 * - **Lanes**, served strictly in order: `priority` (case acknowledgements, answers, reminders, cards:
 *   what a person is waiting for), `emergency` (emergency broadcasts), `bulk` (normal broadcasts). A
 *   priority send waits at most for the next token, whatever the length of the bulk line.
 * - **The rate** is a virtual-scheduling token bucket (GCRA): tokens at `perSecond × margin`, evenly
 *   spaced, a send allowed at most a quarter of a gap early. That quarter absorbs a timer that fires late
 *   (the next send is not pushed back, so the long-run rate holds) without letting sends through in a
 *   burst: any one-second window sees at most ⌊rate + ¼⌋ + 1 sends.
 * - **The margin** (0.95 by default) leaves room under the published number: the platform counts
 *   arrivals, and between our token and its counter lie the event loop, several sockets and the network,
 *   which bunch sends together by a few milliseconds; a platform that counts in a sliding window would
 *   otherwise see one send too many now and then, and answer 429. Choose it so that ⌊rate + ¼⌋ + 1 stays
 *   at least one under the limit: 0.95 of 30/s (28.5/s: at most 29 in any second), 0.9 of 20/s (18/s: at
 *   most 19).
 * - **Per-key gaps** (one chat, one group): a send naming a key waits until `gapMs / margin` has passed
 *   since the last send to that key, without holding the sends to other keys behind it. The priority lane
 *   records its key but does not wait for it: an acknowledgement is one message to a chat the bot
 *   answers rarely, and "at most one token" is the promise of that lane.
 * - **pauseAll(seconds)**: the platform said "retry after N s" (a 429): no lane gets a token until then.
 *
 * Time comes from `now` and `sleep`, injectable for tests. Pure: no project imports.
 */

/** Where a send stands in line, highest first. */
export const LANES = ['priority', 'emergency', 'bulk'] as const;
export type Lane = (typeof LANES)[number];

/** A minimum gap between two sends to one key (a chat), as the platform publishes it. */
export interface KeyGap {
  key: string;
  gapMs: number;
}

export interface PacerOptions {
  /** The platform's published rate for this bot, per second. */
  perSecond: number;
  /** The share of it used (0 < margin ≤ 1), for the reason above. */
  margin?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The default share of a published rate a pacer uses. */
export const DEFAULT_MARGIN = 0.95;

interface Waiter {
  gap: KeyGap | undefined;
  resolve: () => void;
}

/** Keys whose gap has passed are forgotten once the map holds this many. */
const KEYS_KEPT = 10_000;

export class Pacer {
  /** Tokens per second actually handed out (`perSecond × margin`). */
  readonly rate: number;
  readonly margin: number;
  readonly #gapMs: number;
  readonly #toleranceMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #lines: Record<Lane, Waiter[]> = { priority: [], emergency: [], bulk: [] };
  readonly #keys = new Map<string, number>();
  /** The theoretical time of the next token (GCRA). */
  #tat = Number.NEGATIVE_INFINITY;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #wakeAt = Number.POSITIVE_INFINITY;
  readonly #granted: Record<Lane, number> = { priority: 0, emergency: 0, bulk: 0 };
  #pauses = 0;

  constructor(options: PacerOptions) {
    const margin = options.margin ?? DEFAULT_MARGIN;
    if (!(options.perSecond > 0)) throw new RangeError('Pacer: perSecond must be positive');
    if (!(margin > 0 && margin <= 1)) throw new RangeError('Pacer: margin must be in (0, 1]');
    this.margin = margin;
    this.rate = options.perSecond * margin;
    this.#gapMs = 1000 / this.rate;
    this.#toleranceMs = this.#gapMs / 4;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Resolves when this send may go: its lane's turn, a token, and (below priority) its key's gap passed. */
  take(lane: Lane, gap?: KeyGap): Promise<void> {
    return new Promise((resolve) => {
      this.#lines[lane].push({ gap, resolve });
      this.#pump();
    });
  }

  /** The platform asked every send to wait `seconds` (a 429's retry_after): no lane gets a token before then. */
  pauseAll(seconds: number): void {
    const until = this.#now() + Math.max(0, seconds) * 1000;
    if (until <= this.#pausedUntil) return;
    this.#pausedUntil = until;
    this.#pauses += 1;
  }

  /** Until when every lane waits (ms of `now`); in the past when not paused. */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** Tokens handed out per lane, sends waiting per lane, and pauses so far: for metrics and tests. */
  stats(): { granted: Record<Lane, number>; waiting: Record<Lane, number>; pauses: number } {
    return {
      granted: { ...this.#granted },
      waiting: { priority: this.#lines.priority.length, emergency: this.#lines.emergency.length, bulk: this.#lines.bulk.length },
      pauses: this.#pauses,
    };
  }

  // ---- the dispatcher ----

  /** Hands out every token due now, highest lane first; then sleeps until the next one can be. */
  #pump(): void {
    for (;;) {
      const now = this.#now();
      const next = this.#pick(now);
      if (!next) return;
      // Paused, no token yet, or only keys that have not opened: sleep until the first of them that can change.
      const at = Math.max(this.#pausedUntil, this.#tat - this.#toleranceMs, 'readyAt' in next ? next.readyAt : now);
      if (now < at) {
        this.#wake(at);
        return;
      }
      if ('readyAt' in next) return; // (never: a key's readyAt is always ahead of now)
      const [waiter] = this.#lines[next.lane].splice(next.index, 1);
      if (!waiter) return;
      this.#tat = Math.max(this.#tat, now) + this.#gapMs;
      if (waiter.gap) this.#mark(waiter.gap, now);
      this.#granted[next.lane] += 1;
      waiter.resolve();
    }
  }

  /** The first waiter of the highest lane that may go now, else when the earliest key opens. */
  #pick(now: number): { lane: Lane; index: number } | { readyAt: number } | null {
    let readyAt = Number.POSITIVE_INFINITY;
    for (const lane of LANES) {
      const line = this.#lines[lane];
      for (let index = 0; index < line.length; index++) {
        const gap = line[index]?.gap;
        const open = gap && lane !== 'priority' ? (this.#keys.get(gap.key) ?? Number.NEGATIVE_INFINITY) : now;
        if (open <= now) return { lane, index };
        readyAt = Math.min(readyAt, open);
      }
    }
    return readyAt < Number.POSITIVE_INFINITY ? { readyAt } : null;
  }

  #mark(gap: KeyGap, now: number): void {
    if (this.#keys.size >= KEYS_KEPT) for (const [key, open] of this.#keys) if (open <= now) this.#keys.delete(key);
    const open = this.#keys.get(gap.key) ?? Number.NEGATIVE_INFINITY;
    this.#keys.set(gap.key, Math.max(open, now) + gap.gapMs / this.margin);
  }

  /** One timer at a time, the earliest needed; a later one still pending just finds nothing to do. */
  #wake(at: number): void {
    if (at >= this.#wakeAt) return;
    this.#wakeAt = at;
    void this.#sleep(Math.max(0, at - this.#now())).then(() => {
      if (this.#wakeAt === at) this.#wakeAt = Number.POSITIVE_INFINITY;
      this.#pump();
    });
  }
}
