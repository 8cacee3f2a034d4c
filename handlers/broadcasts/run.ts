import type { BroadcastChannel, BroadcastContent, BroadcastPort, BulkResult } from '../../models/broadcast.js';
import {
  type BroadcastRow,
  type ClaimedRecipient,
  claimRecipients,
  claimSummary,
  findBroadcast,
  releaseLease,
  remainingWork,
  requeueInFlight,
  skipChannels,
  skipRemaining,
  stampResults,
  takeLease,
  transition,
} from '../../models/broadcast-repository.js';
import type { HandlerDeps } from '../deps.js';
import { quietHoursEnd } from '../reminders/index.js';
import { queueRun } from './jobs.js';
import type { BroadcastNotifier } from './notifier.js';
import { OutageTracker } from './outage.js';
import { broadcastReport } from './report.js';
import { broadcastSettings } from './settings.js';

/** This process's view of which messengers are down, per broadcast. */
const PROCESS_OUTAGES = new OutageTracker();

/**
 * The sender of one broadcast, one slice at a time (docs/architecture/broadcasts.md):
 *
 * 1. take the broadcast's lease (one sender at a time in the whole installation); rows a crashed sender
 *    left `sending` go back to `pending` — they were in flight and are sent again;
 * 2. per messenger, in parallel: claim the next rows (`pending` → `sending`, skipping who left), hand
 *    them to the port in batches (the port paces to the messenger's limits), stamp each result;
 * 3. every couple of seconds: renew the lease, re-read the status (paused or cancelled stops the slice
 *    after the batches in flight), tell the author the progress;
 * 4. at the end of the slice hand over to the next (a job), or finish: done, the summary sent once.
 *
 * At most `batchSize × concurrency` rows of a messenger are `sending` at any moment: that is the bound
 * of recipients who can get a broadcast twice after a crash (VK deduplicates even those by random_id).
 */
export interface RunDeps extends Pick<HandlerDeps, 'db' | 'jobs' | 'clock' | 'domain' | 'log'> {
  port: BroadcastPort;
  notifier: BroadcastNotifier;
  /** This process, as a lease owner (host, pid, a random part). */
  owner: string;
  /** How long one slice sends before handing over to the next job. */
  sliceMs?: number;
  /** How long a lease lasts without renewal. */
  leaseMs?: number;
  /** How often the lease, the status and the progress are refreshed. */
  checkEveryMs?: number;
  /** Tells a messenger that is down from a recipient that fails, per broadcast (one per process). */
  outages?: OutageTracker;
}

export type RunOutcome =
  | 'missing'
  | 'not_running'
  | 'busy'
  | 'quiet_hours'
  | 'paused'
  | 'cancelled'
  | 'lease_lost'
  | 'continues'
  | 'waiting'
  | 'done';

const contentOf = (b: BroadcastRow): BroadcastContent => ({
  broadcastId: b.id,
  title: b.title,
  text: b.text,
  photoUrl: b.photoUrl,
  priority: b.priority,
  audience: b.segment.kind === 'subscribers' ? 'subscribers' : 'cases',
});

export async function runBroadcast(deps: RunDeps, payload: { broadcastId: number }): Promise<RunOutcome> {
  const { db, clock, log } = deps;
  const id = payload.broadcastId;
  const b = await findBroadcast(db, id);
  if (!b) return 'missing';
  if (b.status === 'cancelled' || b.status === 'done') {
    // A cancel skips what waits; rows a dead sender left in flight are skipped once its lease is over.
    const now = clock.now();
    if (b.status === 'cancelled' && (b.leaseUntil === null || b.leaseUntil.getTime() < now.getTime())) {
      await skipRemaining(db, id, 'cancelled', { inFlight: true });
    }
    await finalize(deps, id);
    return b.status;
  }
  if (b.status !== 'running') return 'not_running';
  const now = clock.now();
  // Quiet hours hold normal broadcasts; emergency ones go at any hour.
  const quietEnd = b.priority === 'normal' ? quietHoursEnd(now, deps.domain) : null;
  if (quietEnd) {
    await queueRun(deps.jobs, b, { startAfter: quietEnd });
    return 'quiet_hours';
  }
  const leaseMs = deps.leaseMs ?? 20_000;
  if (!(await takeLease(db, id, deps.owner, now, new Date(now.getTime() + leaseMs)))) {
    // Another sender holds it (or a paused one is finishing its batches): come back when its lease ends,
    // so a quick pause and resume does not wait for the minute's sweep.
    await queueRun(deps.jobs, b, { startAfter: new Date(now.getTime() + leaseMs) });
    return 'busy';
  }
  const requeued = await requeueInFlight(db, id);
  if (requeued > 0) log.warn({ broadcastId: id, requeued }, 'broadcast sends in flight at a crash are sent again');

  const settings = broadcastSettings(deps.domain);
  const content = contentOf(b);
  const subscribersOnly = b.segment.kind === 'subscribers';
  const deadline = now.getTime() + (deps.sliceMs ?? 30_000);
  const checkEveryMs = deps.checkEveryMs ?? 2_000;
  const outages = deps.outages ?? PROCESS_OUTAGES;
  let stop: 'paused' | 'cancelled' | 'lease_lost' | 'budget' | null = null;
  let lastCheck = Date.now();
  let checking: Promise<void> | null = null;

  /** Renews the lease and re-reads the status; at most one check at a time, every `checkEveryMs`. */
  const check = async (): Promise<void> => {
    if (Date.now() - lastCheck < checkEveryMs) return;
    if (checking) return checking;
    lastCheck = Date.now();
    checking = (async () => {
      const at = clock.now();
      const current = await findBroadcast(db, id);
      if (current?.status === 'paused') stop ??= 'paused';
      else if (current?.status !== 'running') stop ??= 'cancelled';
      else if (!(await takeLease(db, id, deps.owner, at, new Date(at.getTime() + leaseMs)))) {
        // The lease is only renewed while running: a pause or cancel between the two reads lands here.
        const now = await findBroadcast(db, id);
        stop ??= now?.status === 'paused' ? 'paused' : now?.status === 'running' ? 'lease_lost' : 'cancelled';
      }
      if (at.getTime() >= deadline) stop ??= 'budget';
      await progress(deps, id);
    })().finally(() => {
      checking = null;
    });
    return checking;
  };

  /**
   * At most `concurrency` batches of a messenger in flight; more rows are claimed as soon as half of them
   * are done, not after the last: the port's pacer then always has sends waiting and never idles through
   * the wait for the slowest send, a claim and a stamp (a broadcast alone lost ~2.5 % of Telegram's paced
   * rate that way; bench/broadcast). Rows in flight stay within batchSize × concurrency, the crash bound.
   */
  const sendChannel = async (channel: BroadcastChannel): Promise<void> => {
    const batchSize = Math.max(1, deps.port.batchSize(channel));
    const concurrency = Math.max(1, deps.port.concurrency(channel));
    const refillAt = Math.floor(concurrency / 2);
    const inFlight = new Set<Promise<void>>();
    const failures: unknown[] = [];
    const launch = (batch: ClaimedRecipient[]) => {
      const attempts = new Map(batch.map((r) => [r.seq, r.attempts]));
      const sending: Promise<void> = sendBatch(deps, channel, content, batch)
        .then((sent) => {
          const results = outages.adjust(channel, id, sent, attempts);
          return stampResults(db, {
            broadcastId: id,
            channel,
            results,
            attempts,
            maxAttempts: settings.maxAttempts,
            now: clock.now(),
          });
        })
        .catch((error: unknown) => {
          failures.push(error);
        })
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    };
    for (;;) {
      if (failures.length > 0) {
        await Promise.all(inFlight);
        throw failures[0];
      }
      if (stop === null && inFlight.size <= refillAt) {
        const claimed = await claimRecipients(db, {
          broadcastId: id,
          channel,
          limit: batchSize * (concurrency - inFlight.size),
          now: clock.now(),
          subscribersOnly,
        });
        for (let i = 0; i < claimed.length; i += batchSize) launch(claimed.slice(i, i + batchSize));
        if (claimed.length === 0) {
          // Nothing due now: finish what is in flight, then look once more (as a slice always did).
          if (inFlight.size === 0) return;
          await Promise.all(inFlight);
          await check();
          continue;
        }
      }
      if (inFlight.size === 0) return; // stopped, and everything in flight is stamped
      await Promise.race(inFlight);
      await check();
    }
  };

  // The lease is renewed on a timer too, not only between batches: sends held by the pacer (a long
  // retry_after, an emergency broadcast taking every token) must not let it run out while rows are in
  // flight — another sender would then send them again.
  const renewal = setInterval(
    () => {
      lastCheck = 0;
      check().catch((error: unknown) => log.warn({ err: error, broadcastId: id }, 'broadcast lease not renewed'));
    },
    Math.max(250, Math.min(checkEveryMs, leaseMs / 4)),
  );
  renewal.unref?.();
  const channels = deps.port.channels();
  try {
    await Promise.all(channels.map(sendChannel));
  } finally {
    clearInterval(renewal);
  }
  await checking;

  if (stop === 'lease_lost') return 'lease_lost';
  if (stop === 'paused') {
    await releaseLease(db, id, deps.owner);
    await progress(deps, id);
    return 'paused';
  }
  if (stop === 'cancelled') {
    // Every batch of this sender is stamped by now: what is left (pending, or a dead sender's in flight) is skipped.
    await skipRemaining(db, id, 'cancelled', { inFlight: true });
    await releaseLease(db, id, deps.owner);
    await finalize(deps, id);
    return 'cancelled';
  }
  if (stop === 'budget') {
    await releaseLease(db, id, deps.owner);
    await queueRun(deps.jobs, b);
    return 'continues';
  }
  // Nothing claimable now: done, or rows waiting (a back-off, a retry_after), or rows of a messenger
  // this instance cannot send on (skipped: the preview said so).
  const left = await remainingWork(db, id);
  const unsendable = (Object.keys(left.byChannel) as BroadcastChannel[]).filter((c) => !channels.includes(c));
  if (unsendable.length > 0) {
    await skipChannels(db, id, unsendable, 'no_sender');
    log.warn(
      { broadcastId: id, channels: unsendable },
      'broadcast recipients on messengers this instance cannot send on are skipped',
    );
  }
  const after = unsendable.length > 0 ? await remainingWork(db, id) : left;
  await releaseLease(db, id, deps.owner);
  if (Object.keys(after.byChannel).length === 0) {
    await transition(db, id, ['running'], 'done', clock.now());
    await finalize(deps, id);
    return 'done';
  }
  const due =
    after.nextDueAt && after.nextDueAt.getTime() > clock.now().getTime()
      ? after.nextDueAt
      : new Date(clock.now().getTime() + 1_000);
  await queueRun(deps.jobs, b, { startAfter: due });
  await progress(deps, id);
  return 'waiting';
}

/** One batch through the port: a result per recipient, whatever the port returns or throws. */
async function sendBatch(
  deps: RunDeps,
  channel: BroadcastChannel,
  content: BroadcastContent,
  batch: readonly { seq: number; chatId: string }[],
): Promise<BulkResult[]> {
  let results: BulkResult[];
  try {
    results = await deps.port.send(
      channel,
      content,
      batch.map((r) => ({ seq: r.seq, chatId: r.chatId })),
    );
  } catch (error) {
    deps.log.error({ err: error, broadcastId: content.broadcastId, channel }, 'broadcast sender threw');
    results = [];
  }
  const bySeq = new Map(results.map((r) => [r.seq, r]));
  // A recipient the port said nothing about was not accepted by the platform: never stamped sent.
  return batch.map((r) => bySeq.get(r.seq) ?? { seq: r.seq, status: 'failed', reason: 'no result from the sender' });
}

async function progress(deps: RunDeps, id: number): Promise<void> {
  try {
    const report = await broadcastReport(deps, id);
    if (report) await deps.notifier.progress(report);
  } catch (error) {
    deps.log.warn({ err: error, broadcastId: id }, 'broadcast progress not shown');
  }
}

/** The final summary to the author, once (whichever sender gets there first). */
async function finalize(deps: RunDeps, id: number): Promise<void> {
  (deps.outages ?? PROCESS_OUTAGES).forget(id);
  try {
    if (!(await claimSummary(deps.db, id, deps.clock.now()))) return;
    const report = await broadcastReport(deps, id);
    if (report) {
      await deps.notifier.progress(report);
      await deps.notifier.finished(report);
    }
  } catch (error) {
    deps.log.warn({ err: error, broadcastId: id }, 'broadcast summary not sent');
  }
}
