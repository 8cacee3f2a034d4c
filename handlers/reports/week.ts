import type { WorkingCalendar } from '../../lib/deadlines/index.js';
import { addDays, wallOfDate, weekdayOf } from '../../lib/deadlines/local-time.js';

/** The weeks a report sent at some moment speaks of, in the city's time (Monday to Sunday). */
export interface ReportWeek {
  /** The local date of this week's Monday: the key of the week's `weekly_report` rows. */
  weekStart: string;
  /** The week reported on: last Monday–Sunday, as local dates and as the instants [from, to). */
  reported: { first: string; last: string; from: Date; to: Date };
  /** The week before it, for the changes. */
  previous: { from: Date; to: Date };
}

/** The Monday of the week a local date falls in. */
export function mondayOf(date: string): string {
  return addDays(date, -((weekdayOf(date) + 6) % 7));
}

/** The report's weeks for a moment: the previous full week (local Monday–Sunday) and the one before it. */
export function reportWeek(calendar: WorkingCalendar, now: Date): ReportWeek {
  const weekStart = mondayOf(calendar.localDateOf(now));
  const at = (date: string) => new Date(calendar.zone.instantAt(wallOfDate(date)));
  const first = addDays(weekStart, -7);
  return {
    weekStart,
    reported: { first, last: addDays(weekStart, -1), from: at(first), to: at(weekStart) },
    previous: { from: at(addDays(weekStart, -14)), to: at(first) },
  };
}

/**
 * The first working day of the week `weekStart` begins (by the production calendar): Monday, or later
 * when Monday is a holiday; null for a week without one.
 */
export function firstWorkingDay(calendar: WorkingCalendar, weekStart: string): string | null {
  for (let i = 0; i < 7; i++) {
    const date = addDays(weekStart, i);
    if (calendar.isWorkingDay(date)) return date;
  }
  return null;
}
