import { calendarCoverage, isoWeekOf } from '../../lib/deadlines/index.js';
import { countProvisionalOpenCases, insertCalendarAlert } from '../../models/calendar-repository.js';
import { inTransaction } from '../../models/database.js';
import type { HandlerDeps } from '../deps.js';

export type CalendarAlertOutcome =
  | { status: 'covered' }
  | { status: 'day_off'; missing: readonly number[] }
  | { status: 'raised'; alertId: number; week: string; missing: readonly number[] }
  | { status: 'already_raised'; week: string; missing: readonly number[] };

/**
 * The daily `calendar-check` job: while a year deadlines already reach is missing from the production
 * calendar (this year; next year from 1 October), the operators get one alert a week — on the week's
 * first working day the job runs, through the alert table and `notify-operators` like every alert.
 * A second run in the same ISO week raises nothing (the alert's unique week decides).
 */
export async function checkCalendarCoverage(
  deps: Pick<HandlerDeps, 'db' | 'jobs' | 'calendar' | 'clock'>,
): Promise<CalendarAlertOutcome> {
  const now = deps.clock.now();
  const { missing, today } = calendarCoverage(deps.calendar, now);
  if (missing.length === 0) return { status: 'covered' };
  // Read in the operators' chat on a working day; the cron runs daily, so the week still gets its alert.
  if (!deps.calendar.isWorkingDay(today)) return { status: 'day_off', missing };
  const week = isoWeekOf(today);
  return inTransaction(deps.db, async (tx) => {
    const provisionalOpenCases = await countProvisionalOpenCases(tx);
    const alertId = await insertCalendarAlert(tx, { week, missing, provisionalOpenCases }, now);
    if (alertId === undefined) return { status: 'already_raised', week, missing };
    await deps.jobs.send('notify-operators', { alertId }, { tx });
    return { status: 'raised', alertId, week, missing };
  });
}

/** How many open cases have a provisional deadline (for `mcu calendar import`'s summary). */
export function provisionalOpenCases(deps: Pick<HandlerDeps, 'db'>): Promise<number> {
  return countProvisionalOpenCases(deps.db);
}
