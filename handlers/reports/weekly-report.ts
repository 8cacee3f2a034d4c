import { inTransaction } from '../../models/database.js';
import { claimWeeklyReports, reportCandidates } from '../../models/report-repository.js';
import type { HandlerDeps } from '../deps.js';
import { quietHoursEnd } from '../reminders/index.js';
import { WEEKLY_REPORT_ROLES } from './content.js';
import { firstWorkingDay, mondayOf } from './week.js';

export type WeeklyReportDeps = Pick<HandlerDeps, 'db' | 'clock' | 'jobs' | 'calendar' | 'domain' | 'log'>;

export type WeeklyReportOutcome =
  | { status: 'planned'; date: string; weekStart: string; planned: number }
  | { status: 'day_off' | 'not_first' | 'late'; date: string };

/**
 * The daily `weekly-report` job (a cron at `reports.weeklyAt`, city time). It plans only on the first
 * working day of the week by the production calendar — Monday, or the next working day when Monday is
 * a holiday — and does nothing on the other days. Each recipient gets one `send-weekly-report` job; the
 * week's `weekly_report` rows are claimed in the same transaction, so a second instance, a retry or a
 * re-run of the job enqueues nothing twice.
 */
export async function planWeeklyReports(deps: WeeklyReportDeps): Promise<WeeklyReportOutcome> {
  const now = deps.clock.now();
  const date = deps.calendar.localDateOf(now);
  if (!deps.calendar.isWorkingDay(date)) return { status: 'day_off', date };
  const weekStart = mondayOf(date);
  if (firstWorkingDay(deps.calendar, weekStart) !== date) return { status: 'not_first', date };
  // A job that waited all day (every worker down) would ping people at night.
  if (quietHoursEnd(now, deps.domain)) {
    deps.log.warn({ date }, 'weekly report planning ran in the quiet hours; dropped for this week');
    return { status: 'late', date };
  }
  const people = await reportCandidates(deps.db, WEEKLY_REPORT_ROLES);
  const claimed = await inTransaction(deps.db, async (tx) => {
    const ids = await claimWeeklyReports(
      tx,
      weekStart,
      people.map((p) => p.id),
    );
    await deps.jobs.sendMany(
      'send-weekly-report',
      ids.map((officialId) => ({ officialId, weekStart })),
      { tx },
    );
    return ids;
  });
  deps.log.info({ date, weekStart, people: people.length, planned: claimed.length }, 'weekly report planned');
  return { status: 'planned', date, weekStart, planned: claimed.length };
}

/** The daily cron of the planning job for "HH:MM" ("08:30" → "30 8 * * *", read in the city's time zone). */
export function weeklyReportCron(at: string): string {
  const [hours, minutes] = at.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
}
