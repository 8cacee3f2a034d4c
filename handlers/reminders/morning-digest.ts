import { inTransaction } from '../../models/database.js';
import { claimDigests, departmentLoads, digestCandidates, triageCount } from '../../models/digest-repository.js';
import type { HandlerDeps } from '../deps.js';
import { digestMoments, hasDigest } from './digest-content.js';
import { quietHoursEnd } from './reminders.js';

export type MorningDigestDeps = Pick<HandlerDeps, 'db' | 'clock' | 'jobs' | 'calendar' | 'domain' | 'log'>;

export type MorningDigestOutcome =
  | { status: 'planned'; date: string; planned: number }
  | { status: 'day_off' | 'late'; date: string };

/**
 * The daily `morning-digest` job (a cron that fires every day: the production calendar, not the
 * cron, knows the working days). Each person with something to read gets one `send-digest` job; the
 * day's `digest` rows are claimed in the same transaction, so a second instance, a retry or a re-run
 * of the job enqueues nothing twice.
 */
export async function planMorningDigest(deps: MorningDigestDeps): Promise<MorningDigestOutcome> {
  const at = digestMoments(deps.calendar, deps.clock.now());
  if (!deps.calendar.isWorkingDay(at.date)) return { status: 'day_off', date: at.date };
  // A job that waited all day (every worker down) would ping people at night: the next morning's will do.
  if (quietHoursEnd(at.now, deps.domain)) {
    deps.log.warn({ date: at.date }, 'morning digest ran in the quiet hours; dropped for today');
    return { status: 'late', date: at.date };
  }
  const [people, loads, triage] = await Promise.all([
    digestCandidates(deps.db),
    departmentLoads(deps.db, at),
    triageCount(deps.db),
  ]);
  const due = people.filter((p) => hasDigest(p, loads, triage)).map((p) => p.id);
  const claimed = await inTransaction(deps.db, async (tx) => {
    const ids = await claimDigests(tx, at.date, due);
    await deps.jobs.sendMany(
      'send-digest',
      ids.map((officialId) => ({ officialId, localDate: at.date })),
      { tx },
    );
    return ids;
  });
  deps.log.info(
    { date: at.date, people: people.length, withCases: due.length, planned: claimed.length },
    'morning digest planned',
  );
  return { status: 'planned', date: at.date, planned: claimed.length };
}

/** The daily cron of the digest for `sla.digest.at` ("08:30" → "30 8 * * *", read in the city's time zone). */
export function digestCron(at: string): string {
  const [hours, minutes] = at.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
}
