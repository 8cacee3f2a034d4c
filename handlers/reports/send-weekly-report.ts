import type { ChannelPort } from '../../models/outbound.js';
import { findOfficial } from '../../models/people-repository.js';
import { findWeeklyReport, markWeeklyReport } from '../../models/report-repository.js';
import { deliveryAccounts } from '../../models/staff-account-repository.js';
import type { HandlerDeps } from '../deps.js';
import { deliverToPerson, quietHoursEnd } from '../reminders/index.js';
import { buildWeeklyReport, hasReportContent } from './content.js';
import { mondayOf } from './week.js';

/** The report is sent through the channel port; a send that lands in the quiet hours is put off with the queue. */
export type SendWeeklyReportDeps = Pick<HandlerDeps, 'db' | 'clock' | 'calendar' | 'domain' | 'log' | 'jobs'> & {
  outbound: ChannelPort;
};

export type SendWeeklyReportOutcome = 'sent' | 'already' | 'blocked' | 'skipped' | 'deferred';

/**
 * One person's weekly report, built from the ratings and problems as they are now, on their preferred
 * messenger (else another they bound). The claimed row is stamped after the send: a duplicate job finds
 * it stamped. A person deactivated since (or with no messenger left), a send that only runs in a later
 * week, and a report with nothing in it are recorded and not sent; a send that runs in the quiet hours
 * waits for their end (a week's report is worth more than a day's digest). Blocked on every messenger:
 * recorded as `blocked`, not retried. Other failures throw so the queue retries.
 */
export async function sendWeeklyReport(
  deps: SendWeeklyReportDeps,
  payload: { officialId: number; weekStart: string },
): Promise<SendWeeklyReportOutcome> {
  const { officialId, weekStart } = payload;
  const row = await findWeeklyReport(deps.db, officialId, weekStart);
  if (!row) return 'skipped';
  if (row.sentAt) return 'already';
  const now = deps.clock.now();
  const skip = async (why: string): Promise<'skipped'> => {
    await markWeeklyReport(deps.db, officialId, weekStart, `skipped:${why}`, now);
    return 'skipped';
  };

  const person = await findOfficial(deps.db, officialId);
  if (!person?.active) return skip('inactive');
  if ((await deliveryAccounts(deps.db, officialId)).length === 0) return skip('unreachable');
  if (mondayOf(deps.calendar.localDateOf(now)) !== weekStart) return skip('late');
  const quietEnd = quietHoursEnd(now, deps.domain);
  if (quietEnd) {
    await deps.jobs.send('send-weekly-report', payload, { startAfter: quietEnd });
    return 'deferred';
  }
  const report = await buildWeeklyReport(deps, person, now);
  if (!report) return skip('role');
  if (!hasReportContent(report)) return skip('empty');

  const result = await deliverToPerson(deps, officialId, { kind: 'weekly_report', report }, `weekly:${officialId}:${weekStart}`);
  if (result === 'unreachable') {
    await markWeeklyReport(deps.db, officialId, weekStart, 'blocked', now);
    deps.log.info('weekly report not delivered: no messenger the person bound reaches them (blocked or unbound); not retried');
    return 'blocked';
  }
  await markWeeklyReport(deps.db, officialId, weekStart, 'sent', now);
  return 'sent';
}
