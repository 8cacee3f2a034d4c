import { appendAudit } from '../../models/audit-repository.js';
import { broadcastsToWake, findBroadcast, listRunning } from '../../models/broadcast-repository.js';
import type { HandlerDeps } from '../deps.js';
import { queueRun } from './jobs.js';
import { begin } from './lifecycle.js';

export type SweepDeps = Pick<HandlerDeps, 'db' | 'jobs' | 'clock' | 'log'>;

/**
 * Cron, every minute: scheduled broadcasts that are due start (their audience frozen now), and running
 * ones that nobody holds (a sender crashed, or its hand-over job was lost) get a sender again.
 */
export async function sweepBroadcasts(deps: SweepDeps): Promise<{ started: number; resumed: number }> {
  const now = deps.clock.now();
  let started = 0;
  let resumed = 0;
  for (const w of await broadcastsToWake(deps.db, now)) {
    if (w.status === 'running') {
      await queueRun(deps.jobs, w);
      resumed++;
      continue;
    }
    const began = await deps.db.transaction().execute(async (tx) => {
      const b = await findBroadcast(tx, w.id, { forUpdate: true });
      if (b?.status !== 'scheduled') return false;
      const recipients = await begin(deps, tx, b, now);
      await appendAudit(tx, {
        actor: { type: 'system' },
        action: 'broadcast.started',
        entity: 'broadcast',
        entityId: b.id,
        details: { recipients, scheduled: true },
      });
      return true;
    });
    if (began) started++;
  }
  if (started + resumed > 0) deps.log.info({ started, resumed }, 'broadcasts woken');
  return { started, resumed };
}

/**
 * At a worker's start: every running broadcast gets a sender job, due when its lease runs out (a
 * process killed mid-broadcast holds it until then), so a restart continues within seconds.
 */
export async function resumeBroadcasts(deps: SweepDeps): Promise<number> {
  const running = await listRunning(deps.db);
  for (const r of running) {
    await queueRun(deps.jobs, r, r.leaseUntil ? { startAfter: r.leaseUntil } : {});
  }
  return running.length;
}
