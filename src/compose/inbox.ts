import { type Arrival, acceptEvents, type EdgeOutcome, InboxWorker } from '../../handlers/inbox/index.js';
import { decideWallItem, MicroBatcher, WALL_CHANNEL, type WallEvent } from '../../handlers/intake/index.js';
import { withDeadline } from '../../lib/retry.js';
import { isDataError } from '../../models/database.js';
import { insertDeadLetters } from '../../models/inbox-repository.js';
import { queryDeps } from './deps.js';
import type { Runtime } from './runtime.js';

/**
 * Inbox group commit: a webhook delivery is written as soon as the writer is free (after the event
 * loop has read what already arrived), at most 200 a commit; while a commit runs, the next batch
 * grows. No timer: the fixed 2 ms wait (until issue 17) added latency at every load, and with a few
 * dozen connections latency, not CPU, capped the rate. One writer rather than two: batches grow by
 * half (16 events a commit instead of 11 in bench/intake), so each commit — one write on the socket,
 * one WAL flush — is shared by more deliveries: ~10% less CPU a message at the same p99
 * (docs/development/benchmarks.md). It also leaves the rest of the pool to the workers and the API.
 */
const ACCEPT_BATCHING = {
  maxWaitMs: 0,
  maxSize: 200,
  maxInFlight: 1,
  // One by one only when the data may be at fault; a database outage fails the batch at once (503, re-sent).
  retrySingly: isDataError,
  // About 10 s of deliveries at the measured rate: beyond that the database is not keeping up — 503 at once.
  maxPending: 20_000,
};

/**
 * How long an acknowledgement may wait for the inbox commit. A stalled database answers 503 in time
 * (the platform re-sends; a commit that lands later makes the re-send a no-op) instead of holding
 * the platform's connection until it gives up.
 */
const ACCEPT_DEADLINE_MS = 10_000;

/** Commits checked platform events before they are acknowledged: what webhooks and pollers call. */
export type Accept = (channel: string, source: string, outcomes: readonly EdgeOutcome[]) => Promise<void>;

/**
 * Commits checked platform events to the inbox (and refused ones to the dead letters): the only
 * work before a platform is acknowledged. Rejects when nothing could be stored (503 / offset kept).
 */
export function createAccept(rt: Runtime): Accept {
  const store = async (arrivals: readonly Arrival[]): Promise<undefined[]> => {
    const { stored } = await acceptEvents({ db: queryDeps(rt).db }, arrivals);
    for (const { source, outcome } of arrivals) if (!outcome.ok) rt.metrics.deadLetters.inc({ source });
    if (stored > 0) rt.inbox?.wake();
    return arrivals.map(() => undefined);
  };
  // Single webhook deliveries arriving together are group-committed (one transaction, one WAL
  // flush); a poll's batch is one commit anyway.
  const batcher = rt.options.intakeBatching === false ? null : new MicroBatcher(store, ACCEPT_BATCHING);
  return async (channel, source, outcomes) => {
    const arrivals = outcomes.map((outcome) => ({ channel, source, outcome }));
    const [single] = arrivals;
    const written: Promise<unknown> = single && arrivals.length === 1 && batcher ? batcher.submit(single) : store(arrivals);
    await withDeadline(written, ACCEPT_DEADLINE_MS, 'the inbox did not commit in time');
  };
}

/**
 * The inbox worker: decides stored events through the deciders the messengers register on it;
 * `onParked` tells the citizen when one is parked (the messengers' `parkedNotices`).
 */
export function startInbox(rt: Runtime, onParked: (channel: string, payload: unknown) => Promise<void>): InboxWorker {
  const intake = rt.intake;
  if (!intake) throw new Error('intake not ready');
  const inbox = new InboxWorker(queryDeps(rt).db, rt.log.child({ part: 'inbox' }), {
    maxAttempts: rt.domain.intake.inboxMaxAttempts,
    ...rt.options.inbox,
    onParked,
  });
  inbox.register(WALL_CHANNEL, async (payload) => {
    await decideWallItem({ receive: (input) => intake.receive(input) }, payload as WallEvent);
  });
  inbox.start();
  rt.inbox = inbox;
  return inbox;
}

/**
 * Keeps a stored event that its translation found incomplete. If the database refuses, this throws:
 * the inbox event is retried (and parked by the inbox itself after repeated failures), never lost.
 */
export async function keepDeadLetter(rt: Runtime, source: string, reason: string, raw: unknown): Promise<void> {
  await insertDeadLetters(queryDeps(rt).db, [{ source, reason, raw }]);
  rt.metrics.deadLetters.inc({ source });
}
