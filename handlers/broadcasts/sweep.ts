import { appendAudit } from '../../models/audit-repository.js';
import { broadcastsToWake, findBroadcast, listRunning, returnToDraft } from '../../models/broadcast-repository.js';
import type { HandlerDeps } from '../deps.js';
import { queueRun } from './jobs.js';
import { begin, checkAudience, NotStarted } from './lifecycle.js';
import type { BroadcastNotifier } from './notifier.js';
import type { Refusal } from './outcome.js';
import { broadcastSettings } from './settings.js';

export type SweepDeps = Pick<HandlerDeps, 'db' | 'jobs' | 'clock' | 'log' | 'domain'> & {
  /** Tells the author of a scheduled broadcast that could not start (none: nobody is told). */
  notifier?: BroadcastNotifier;
};

/**
 * Cron, every minute: scheduled broadcasts that are due start (their audience frozen now, and checked
 * again: a segment that reaches nobody, or grew above the approval threshold with no approval, does not
 * start — it goes back to `draft` with the reason, and the author is told), and running ones that nobody
 * holds (a sender crashed, or its hand-over job was lost) get a sender again.
 */
export async function sweepBroadcasts(deps: SweepDeps): Promise<{ started: number; resumed: number; notStarted: number }> {
  const now = deps.clock.now();
  let started = 0;
  let resumed = 0;
  let notStarted = 0;
  for (const w of await broadcastsToWake(deps.db, now)) {
    if (w.status === 'running') {
      await queueRun(deps.jobs, w);
      resumed++;
      continue;
    }
    const outcome = await startScheduled(deps, w.id, now);
    if (outcome === 'started') started++;
    else if (outcome !== 'gone') {
      if (await holdBack(deps, w.id, outcome)) notStarted++;
    }
  }
  if (started + resumed + notStarted > 0) deps.log.info({ started, resumed, notStarted }, 'broadcasts woken');
  return { started, resumed, notStarted };
}

/** Starts one due scheduled broadcast, or says why it may not start (nothing of it frozen then). */
async function startScheduled(
  deps: SweepDeps,
  id: number,
  now: Date,
): Promise<'started' | 'gone' | { refusal: Refusal; recipients: number }> {
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const b = await findBroadcast(tx, id, { forUpdate: true });
      if (b?.status !== 'scheduled') return 'gone';
      const audience = await checkAudience(deps, tx, b, now);
      if (audience.refusal) throw new NotStarted(audience.refusal, audience.recipients);
      const recipients = await begin(deps, tx, b, now);
      await appendAudit(tx, {
        actor: { type: 'system' },
        action: 'broadcast.started',
        entity: 'broadcast',
        entityId: b.id,
        details: { recipients, scheduled: true },
      });
      return 'started';
    });
  } catch (error) {
    if (error instanceof NotStarted) return { refusal: error.refusal, recipients: error.recipients };
    throw error;
  }
}

/** The broadcast goes back to draft with the reason (audited) and its author is told; false when it moved meanwhile. */
async function holdBack(deps: SweepDeps, id: number, why: { refusal: Refusal; recipients: number }): Promise<boolean> {
  const { refusal, recipients } = why;
  const held = await deps.db.transaction().execute(async (tx) => {
    if (!(await returnToDraft(tx, id, refusal.message))) return null;
    await appendAudit(tx, {
      actor: { type: 'system' },
      action: 'broadcast.not_started',
      entity: 'broadcast',
      entityId: id,
      details: { code: refusal.code, reason: refusal.message, recipients },
    });
    return findBroadcast(tx, id);
  });
  if (!held) return false;
  deps.log.warn({ broadcastId: id, code: refusal.code, recipients }, 'scheduled broadcast not started');
  await deps.notifier?.notStarted({
    broadcastId: id,
    title: held.title,
    why: refusal.code === 'EMPTY_SEGMENT' ? 'empty' : 'approval',
    recipients,
    threshold: broadcastSettings(deps.domain).approval.aboveRecipients,
  });
  return true;
}

/**
 * At a worker's start: every running broadcast gets a sender job, due when its lease runs out (a
 * process killed mid-broadcast holds it until then), so a restart continues within seconds.
 */
export async function resumeBroadcasts(deps: Pick<HandlerDeps, 'db' | 'jobs' | 'clock' | 'log'>): Promise<number> {
  const running = await listRunning(deps.db);
  for (const r of running) {
    await queueRun(deps.jobs, r, r.leaseUntil ? { startAfter: r.leaseUntil } : {});
  }
  return running.length;
}
