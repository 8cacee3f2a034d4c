/**
 * Arithmetic on working time: walking a calendar's working intervals forward from an instant.
 * Everything here is in epoch milliseconds; deadline.ts turns it into the public Date API.
 */
import { addDays } from './local-time.js';
import { MAX_IDLE_DAYS, noWorkingTime, type WorkingCalendar } from './working-calendar.js';

/**
 * The instant when `amount` ms of working time have passed since `from`. Time outside working
 * intervals does not count, so a start at night begins at the next working moment; an amount that
 * ends exactly at an interval's end gives that end (17:00), not the next morning.
 */
export function addWorkingMs(calendar: WorkingCalendar, from: number, amount: number): number {
  let remaining = amount;
  let date = calendar.localDateOf(from);
  let idle = 0;
  while (idle <= MAX_IDLE_DAYS) {
    const intervals = calendar.workingIntervals(date);
    idle = intervals.length === 0 ? idle + 1 : 0;
    for (const interval of intervals) {
      if (interval.end <= from) continue;
      const start = Math.max(from, interval.start);
      const available = interval.end - start;
      if (remaining <= available) return start + remaining;
      remaining -= available;
    }
    date = addDays(date, 1);
  }
  throw noWorkingTime(date);
}

/** Working time in ms between two instants; negative when `b` is before `a`. */
export function workingMsBetween(calendar: WorkingCalendar, a: number, b: number): number {
  if (b < a) return -workingMsBetween(calendar, b, a);
  let total = 0;
  const last = calendar.localDateOf(b);
  for (let date = calendar.localDateOf(a); date <= last; date = addDays(date, 1)) {
    for (const interval of calendar.workingIntervals(date)) {
      total += Math.max(0, Math.min(b, interval.end) - Math.max(a, interval.start));
    }
  }
  return total;
}
