import type { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { CalendarDays } from '../../models/analytics-query.js';

const DAY_MS = 86_400_000;
const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
const previousDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/**
 * The working calendar of every local date from `from`'s to `to`'s (a day of margin each side), as the
 * ratings query takes it: the app's WorkingCalendar (production calendar, schedule, lunch, short days,
 * the city's zone) decides each day, SQL only adds and subtracts. A decade is ~3,700 rows.
 */
export function calendarDays(calendar: WorkingCalendar, from: Date, to: Date): CalendarDays {
  const out: CalendarDays = { days: [], cum: [], a1: [], b1: [], a2: [], b2: [], timeZone: calendar.zone.name };
  const last = nextDate(calendar.localDateOf(to));
  let cum = 0;
  for (let date = previousDate(calendar.localDateOf(from)); date <= last; date = nextDate(date)) {
    const intervals = calendar.workingIntervals(date);
    if (intervals.length > 2)
      throw new Error(`calendarDays: ${date} has ${intervals.length} working intervals, at most 2 expected`);
    const [first, second] = intervals;
    out.days.push(date);
    out.cum.push(cum);
    out.a1.push(first ? new Date(first.start) : null);
    out.b1.push(first ? new Date(first.end) : null);
    out.a2.push(second ? new Date(second.start) : null);
    out.b2.push(second ? new Date(second.end) : null);
    for (const i of intervals) cum += (i.end - i.start) / 1000;
  }
  return out;
}
