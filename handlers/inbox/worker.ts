import type { Logger } from 'pino';
import { PollingLoop } from '../../lib/polling-loop.js';
import { abortableSleep, backoffMs } from '../../lib/retry.js';
import type { Db } from '../../models/database.js';
import {
  type ClaimedEvent,
  claimInboxEvents,
  deferInboxEvent,
  extendInboxLease,
  markInboxDone,
  parkInboxEvent,
} from '../../models/inbox-repository.js';

/** Decides one stored event (a channel's bot or reader); throws to have it retried. */
export type Decider = (payload: unknown, event: { inboxId: number; eventId: string; attempt: number }) => Promise<void>;

export interface InboxWorkerOptions {
  /** An event whose decision failed this many times is parked in the dead letters. */
  maxAttempts: number;
  /** How long a claimed event is held (kept up while it is being decided); a dead worker's events return after it. */
  leaseMs?: number;
  /** Events claimed at once (at most one per lane) and decided at the same time. */
  batchSize?: number;
  /** Pause between claims when the inbox is empty (a local acceptance wakes the loop at once). */
  idleMs?: number;
  /** The first retry's delay; it doubles per attempt up to 5 minutes. */
  retryBaseMs?: number;
  /** Told once an event is parked (e.g. to say a polite word to the citizen); failures are only logged. */
  onParked?: (channel: string, payload: unknown) => Promise<void>;
}

/**
 * Decides inbox events: claims the oldest pending event of each lane, runs its channel's decider,
 * marks it done. A failure waits (exponential backoff) and is retried; a failure caused by the
 * database or the network being away does not count towards parking, since the event is not at
 * fault. After `maxAttempts` real failures the event is parked with its raw body and the error,
 * and its lane goes on.
 */
export class InboxWorker extends PollingLoop {
  readonly #deciders = new Map<string, Decider>();
  readonly #inFlight = new Set<number>();
  #wake: (() => void) | null = null;
  #woken = false;
  readonly #options: Required<Omit<InboxWorkerOptions, 'onParked'>> & Pick<InboxWorkerOptions, 'onParked'>;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    options: InboxWorkerOptions,
  ) {
    super();
    this.#options = { leaseMs: 15_000, batchSize: 32, idleMs: 250, retryBaseMs: 1_000, ...options };
  }

  /**
   * Stops claiming; decisions in flight get `graceMs` to finish. One that takes longer (a platform
   * that does not answer) is left to its lease: another worker, or the next start, decides it again.
   */
  override async stop(graceMs = 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([super.stop(), grace]).finally(() => clearTimeout(timer));
  }

  /** Adds a channel's decider; events of channels without one wait in the inbox. */
  register(channel: string, decider: Decider): void {
    this.#deciders.set(channel, decider);
    this.wake();
  }

  /** Something was accepted here: claim now rather than after the idle pause. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /**
   * A continuous pool: whenever a slot is free, claim more (at most one per lane); a slow decision
   * (a platform that makes us wait) holds only its own slot and its own lane.
   */
  protected async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    const running = new Set<Promise<void>>();
    const heartbeat = setInterval(() => {
      extendInboxLease(this.db, [...this.#inFlight], this.#options.leaseMs).catch(() => undefined);
    }, this.#options.leaseMs / 3);
    heartbeat.unref();
    try {
      while (!signal.aborted) {
        this.#woken = false;
        const free = this.#options.batchSize - running.size;
        let claimed: ClaimedEvent[] = [];
        if (free > 0) {
          try {
            claimed = await claimInboxEvents(this.db, {
              channels: [...this.#deciders.keys()],
              limit: free,
              leaseMs: this.#options.leaseMs,
            });
            failures = 0;
          } catch (error) {
            failures++;
            if (failures === 1 || failures % 20 === 0)
              this.log.warn({ err: error, failures }, 'inbox unreachable; events wait and are decided when it is back');
            await abortableSleep(backoffMs(failures), signal);
            continue;
          }
        }
        for (const event of claimed) {
          const decision: Promise<void> = this.#decide(event).finally(() => {
            running.delete(decision);
            this.wake(); // a slot and maybe a lane are free: claim again
          });
          running.add(decision);
        }
        if (claimed.length === 0 && !this.#woken) await this.#idle(signal);
      }
      await Promise.all(running);
    } finally {
      clearInterval(heartbeat);
    }
  }

  async #idle(signal: AbortSignal): Promise<void> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#wake = () => controller.abort();
    await abortableSleep(this.#options.idleMs, controller.signal);
    this.#wake = null;
    signal.removeEventListener('abort', onAbort);
  }

  async #decide(event: ClaimedEvent): Promise<void> {
    const decider = this.#deciders.get(event.channel);
    if (!decider) return; // unregistered meanwhile: the lease runs out and another instance takes it
    this.#inFlight.add(event.id);
    const log = this.log.child({ inboxId: event.id, channel: event.channel });
    if (event.attempts > this.#options.maxAttempts) {
      // Claimed more often than it was ever allowed to fail: its decisions died with their process
      // (out of memory, a crash) and never reported back. Deciding it again would crash again.
      try {
        await this.#park(event, 'claimed after its last allowed attempt: the process deciding it died every time', log);
      } catch (error) {
        log.warn({ err: error }, 'could not park; the event returns when its lease ends');
      } finally {
        this.#inFlight.delete(event.id);
      }
      return;
    }
    try {
      await decider(event.payload, { inboxId: event.id, eventId: event.eventId, attempt: event.attempts });
      await markInboxDone(this.db, [event.id]);
    } catch (error) {
      await this.#failed(event, error, log).catch((e) =>
        // The database went away too: the lease runs out and the event is claimed again.
        log.warn({ err: e }, 'could not record the failure; the event returns when its lease ends'),
      );
    } finally {
      this.#inFlight.delete(event.id);
    }
  }

  async #park(event: ClaimedEvent, reason: string, log: Logger): Promise<void> {
    await parkInboxEvent(this.db, event, reason);
    await this.#options.onParked?.(event.channel, event.payload).catch((e) => log.warn({ err: e }, 'parking notice failed'));
  }

  async #failed(event: ClaimedEvent, error: unknown, log: Logger): Promise<void> {
    const reason = errorText(error);
    if (isTransient(error) && Date.now() - event.receivedAt.getTime() < TRANSIENT_PATIENCE_MS) {
      // Not the event's fault: the attempt is given back (for a day; after that an event that keeps
      // meeting "transient" failures counts them, so it cannot block its chat forever).
      log.warn({ err: error, attempt: event.attempts }, 'inbox event waits for the database or the network');
      await deferInboxEvent(this.db, event.id, backoffMs(event.attempts, this.#options.retryBaseMs), reason, {
        refund: true,
      });
      return;
    }
    if (event.attempts >= this.#options.maxAttempts) {
      log.error({ err: error, attempts: event.attempts }, 'inbox event parked in the dead letters after repeated failures');
      await this.#park(event, reason, log);
      return;
    }
    const delayMs = Math.min(300_000, this.#options.retryBaseMs * 2 ** Math.min(event.attempts - 1, 20));
    log.warn({ err: error, attempt: event.attempts, retryInMs: delayMs }, 'inbox event failed; it will be retried');
    await deferInboxEvent(this.db, event.id, delayMs, reason);
  }
}

/** The class and message of an error and its causes, for the dead letter (never logged as such). */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(' ← ').slice(0, 2_000);
}

/** How long failures of the database or the network are not counted against an event. */
const TRANSIENT_PATIENCE_MS = 24 * 60 * 60 * 1000;

/** Connection-level failures: Node's socket errors and PostgreSQL's connection and shutdown states. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // PostgreSQL: connection exceptions (not 08P01, a protocol violation, which would repeat) …
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  // … and the server shutting down, starting up or out of connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
  'database is not ready',
  'queue is not ready',
];

/**
 * True for failures of the database, the network or a platform's server (the event itself may be
 * fine): it follows `cause` and grammY's wrappers (`BotError.error`, `HttpError.error`); a Bot API
 * answer of 429 or 5xx (after grammY's own retries) counts too, an answer of 400 or 403 does not.
 */
export function isTransient(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 6; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    const name = e instanceof Error ? e.name : '';
    if (name === 'HttpError') return true; // grammY: the Bot API could not be reached
    const status = (e as { error_code?: unknown }).error_code;
    if (name === 'GrammyError' && typeof status === 'number' && (status === 429 || status >= 500)) return true;
    const message = e instanceof Error ? e.message : '';
    if (TRANSIENT_MESSAGES.some((m) => message.includes(m))) return true;
    const inner = (e as { error?: unknown }).error;
    e = inner instanceof Error ? inner : e instanceof Error ? e.cause : undefined;
  }
  return false;
}
