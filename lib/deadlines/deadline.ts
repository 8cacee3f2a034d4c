/**
 * Deadlines from configured durations (duration.ts), on a WorkingCalendar.
 *
 *  - `Nwh` working hours: only time inside working intervals counts; a start outside working time
 *    begins at the next working moment. 4wh from Monday 11:00 → 15:48 (lunch 12:00–12:48 skipped).
 *  - `Nwd` working days: the end of the N-th working day after the start's local date (civil-law
 *    counting, Civil Code arts. 191 and 194: a period in days starts the day after the event and
 *    ends when the office closes on its last day). 1wd from Monday 10:00 → Tuesday 17:00; from
 *    Saturday → Monday 17:00; the end of a short day or of Friday is its own (15:00 / 16:00).
 *  - `Nd` calendar days: the same local time N days later (N × 24 h in Barnaul); if that day is not a
 *    working day, the end of the next working day (59-ФЗ practice, Civil Code art. 193). 30d from
 *    Friday 10:00 landing on a Sunday → Monday 17:00.
 *  - `Nh`, `Nm`: plain clock time, holidays and nights included (drills).
 * An amount of zero returns the start unchanged, whatever the unit.
 */
import { type DurationUnit, parseDuration } from './duration.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './local-time.js';
import type { WorkingCalendar } from './working-calendar.js';
import { addWorkingMs, workingMsBetween } from './working-time.js';

/**
 * How a duration is measured: working time (wh, wd), calendar days that must end on a working day
 * (d), or plain clock time (h, m).
 */
export type ClockMode = 'working' | 'calendar-days' | 'calendar';

const MODES: Readonly<Record<DurationUnit, ClockMode>> = {
  wh: 'working',
  wd: 'working',
  d: 'calendar-days',
  h: 'calendar',
  m: 'calendar',
};

/** The clock a duration string runs on: `8wd` → "working", `30d` → "calendar-days", `15m` → "calendar". */
export function clockModeOf(duration: string): ClockMode {
  return MODES[parseDuration(duration).unit];
}

/** The deadline `duration` after `start` (see the module comment for each unit's rule). */
export function addDuration(calendar: WorkingCalendar, start: Date, duration: string): Date {
  const { amount, unit } = parseDuration(duration);
  const from = instant(start, 'start');
  if (amount === 0) return new Date(from);
  switch (unit) {
    case 'wh':
      return new Date(addWorkingMs(calendar, from, amount * HOUR_MS));
    case 'wd':
      return endOfNthWorkingDay(calendar, calendar.localDateOf(from), amount);
    case 'd': {
      const zone = calendar.zone;
      return onWorkingDay(calendar, zone.instantAt(zone.wallAt(from) + amount * DAY_MS));
    }
    case 'h':
      return new Date(from + amount * HOUR_MS);
    case 'm':
      return new Date(from + amount * MINUTE_MS);
  }
}

/** The first working moment at or after `at` (`at` itself during working time; 17:00 gives the next morning). */
export function nextWorkingMoment(calendar: WorkingCalendar, at: Date): Date {
  return new Date(addWorkingMs(calendar, instant(at, 'at'), 0));
}

/** Working time between two instants, in minutes (fractional; negative when `b` is before `a`). */
export function workingTimeBetween(calendar: WorkingCalendar, a: Date, b: Date): number {
  return workingMsBetween(calendar, instant(a, 'a'), instant(b, 'b')) / MINUTE_MS;
}

/**
 * The moment (to the millisecond) when `fraction` (0…1) of the time from `start` to `deadline` has passed: of the
 * working time in "working" mode, of the wall-clock time otherwise (and when the span holds no
 * working time at all). 0 gives `start`, 1 gives `deadline`. For the "50 % / 80 %" reminders.
 */
export function pointAt(calendar: WorkingCalendar, start: Date, deadline: Date, fraction: number, mode: ClockMode): Date {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction must be between 0 and 1, got ${fraction}`);
  const from = instant(start, 'start');
  const to = instant(deadline, 'deadline');
  if (fraction === 0) return new Date(from);
  if (fraction === 1) return new Date(to);
  if (mode === 'working') {
    const total = workingMsBetween(calendar, from, to);
    if (total > 0) return new Date(addWorkingMs(calendar, from, Math.round(total * fraction)));
  }
  return new Date(from + Math.round((to - from) * fraction));
}

/**
 * The deadline after the case waited for the citizen from `pausedFrom` to `pausedTo`: later by the
 * working time of the pause ("working" — a pause over a weekend moves nothing), or by its clock
 * time ("calendar"); "calendar-days" also moves a deadline that lands on a day off to the end of
 * the next working day, as the original `Nd` rule does.
 */
export function extendForPause(
  calendar: WorkingCalendar,
  deadline: Date,
  pausedFrom: Date,
  pausedTo: Date,
  mode: ClockMode,
): Date {
  const due = instant(deadline, 'deadline');
  const from = instant(pausedFrom, 'pausedFrom');
  const to = instant(pausedTo, 'pausedTo');
  if (to < from) throw new RangeError(`pausedTo (${pausedTo.toISOString()}) is before pausedFrom (${pausedFrom.toISOString()})`);
  if (mode === 'working') {
    const lost = workingMsBetween(calendar, from, to);
    return new Date(lost === 0 ? due : addWorkingMs(calendar, due, lost));
  }
  if (mode === 'calendar-days') return to === from ? new Date(due) : onWorkingDay(calendar, due + (to - from));
  return new Date(due + (to - from));
}

// ---------------------------------------------------------------------------------------------

function endOfNthWorkingDay(calendar: WorkingCalendar, startDate: string, n: number): Date {
  let date = startDate;
  for (let i = 0; i < n; i++) date = calendar.nextWorkingDay(date);
  return calendar.endOfWorkingDay(date);
}

/** `at` itself on a working day, else the end of the next working day. */
function onWorkingDay(calendar: WorkingCalendar, at: number): Date {
  const date = calendar.localDateOf(at);
  if (calendar.isWorkingDay(date)) return new Date(at);
  return calendar.endOfWorkingDay(calendar.nextWorkingDay(date));
}

function instant(d: Date, name: string): number {
  const t = d.getTime();
  if (Number.isNaN(t)) throw new RangeError(`${name} is an invalid Date`);
  return t;
}
