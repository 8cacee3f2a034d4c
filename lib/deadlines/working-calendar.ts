/**
 * Which local days are working days and when, in the city's time zone: the production calendar's
 * facts (read by config/calendar.ts) applied to the administration's schedule (`city.workingHours`).
 *
 * Rules, in order, for a local date:
 *  - a `day_off` in the calendar rests; a `working_weekend` or `short_working_day` works, even on a
 *    Saturday (2024-11-02 is both);
 *  - any other day works when the schedule lists its weekday (the schedule's Friday may be shorter);
 *  - a day the schedule does not list (a worked Saturday) takes the hours of the first scheduled day
 *    from Monday on. Rostrud's reading is "the hours of the weekday the rest day moved to"; in the
 *    shipped years (2016–2025) that was always a Monday or a Tuesday, and Mon–Thu share hours;
 *  - a short day ends `preHolidayShortening` (default 1 h, Labour Code art. 95) before its usual end;
 *  - lunch is cut out of every working day.
 * A year the calendar does not know falls back to the fixed holidays of art. 112 — weekends as
 * usual, no transfers, no short days, so the fallback can only make a deadline earlier, never later
 * — and `onUnknownYear` is told once per year so the caller can log a warning; `track()` tells whether
 * a computation read such a year, so a deadline resting on the fallback can be marked provisional.
 */
import { parseDuration } from './duration.js';
import { addDays, minutesOf, TimeZone, weekdayOf } from './local-time.js';

/** Kinds of exceptions: a holiday or transferred day off, a pre-holiday short day, a worked weekend day. */
export const CALENDAR_DAY_TYPES = ['day_off', 'short_working_day', 'working_weekend'] as const;
/** One kind of production-calendar exception. */
export type CalendarDayType = (typeof CALENDAR_DAY_TYPES)[number];

/** Exceptions by year: local date "YYYY-MM-DD" → type. A year that is not a key is unknown. */
export interface ProductionCalendar {
  readonly years: ReadonlyMap<number, ReadonlyMap<string, CalendarDayType>>;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A day of the week as the schedule names it. */
export type Weekday = (typeof WEEKDAYS)[number];

/** A stretch of the local day, "HH:MM" to "HH:MM". */
export interface ClockInterval {
  readonly start: string;
  readonly end: string;
}

/** The administration's schedule (`city.workingHours` of the domain file); a weekday left out is a day off. */
export interface WorkingHours {
  readonly schedule: { readonly [day in Weekday]?: ClockInterval | undefined };
  readonly lunch?: ClockInterval | undefined;
  /** How much earlier a pre-holiday day ends, in hours or minutes ("1h"); default 1 h. */
  readonly preHolidayShortening?: string | undefined;
}

/** What a local day is: a full working day, a shortened pre-holiday day, or a day off. */
export type DayKind = 'working' | 'short' | 'off';

/** A stretch of working time, [start, end) in epoch milliseconds. */
export interface WorkingInterval {
  readonly start: number;
  readonly end: number;
}

/** One local day: its kind, whether the facts came from the calendar or art. 112, and its intervals. */
export interface WorkingDay {
  readonly date: string;
  readonly kind: DayKind;
  readonly source: 'calendar' | 'labour-code';
  /** Ordered, non-overlapping; empty exactly when kind is "off". */
  readonly intervals: readonly WorkingInterval[];
}

export interface WorkingCalendarOptions {
  readonly productionCalendar: ProductionCalendar;
  readonly workingHours: WorkingHours;
  /** IANA name, e.g. "Asia/Barnaul". */
  readonly timeZone: string;
  /** Called once per year the calendar does not list; art. 112 is used for it. */
  readonly onUnknownYear?: (year: number) => void;
}

/** Non-working holidays of Labour Code art. 112 part 1 (MM-DD): New Year holidays and Christmas, 23 Feb, 8 Mar, 1 and 9 May, 12 Jun, 4 Nov. */
export const LABOUR_CODE_HOLIDAYS: ReadonlySet<string> = new Set(
  '01-01 01-02 01-03 01-04 01-05 01-06 01-07 01-08 02-23 03-08 05-01 05-09 06-12 11-04'.split(' '),
);

const DEFAULT_SHORTENING_MINUTES = 60;

interface Hours {
  start: number;
  end: number;
}

/** Working days and hours of one city; answers are cached per local date. */
export class WorkingCalendar {
  /** The city's time zone, for converting between instants and local dates. */
  readonly zone: TimeZone;
  readonly #years: ProductionCalendar['years'];
  readonly #byWeekday: ReadonlyArray<Hours | undefined>;
  readonly #weekendHours: Hours | undefined;
  readonly #lunch: Hours | undefined;
  readonly #shortening: number;
  readonly #onUnknownYear: ((year: number) => void) | undefined;
  readonly #days = new Map<string, WorkingDay>();
  readonly #reported = new Set<number>();
  /** Set whenever a day of an unknown year is read; track() saves and restores it around a computation. */
  #readFallback = false;

  constructor(options: WorkingCalendarOptions) {
    this.zone = new TimeZone(options.timeZone);
    this.#years = options.productionCalendar.years;
    const { schedule, lunch, preHolidayShortening } = options.workingHours;
    this.#byWeekday = WEEKDAYS.map((d) => toHours(schedule[d]));
    // Monday first, Sunday last: the hours a worked weekend day borrows.
    this.#weekendHours = [1, 2, 3, 4, 5, 6, 0].map((i) => this.#byWeekday[i]).find((h) => h !== undefined);
    this.#lunch = toHours(lunch);
    this.#shortening = preHolidayShortening === undefined ? DEFAULT_SHORTENING_MINUTES : shorteningMinutes(preHolidayShortening);
    this.#onUnknownYear = options.onUnknownYear;
  }

  /** A calendar for the domain file's `city` section. */
  static forCity(
    city: { readonly timezone: string; readonly workingHours: WorkingHours },
    productionCalendar: ProductionCalendar,
    onUnknownYear?: (year: number) => void,
  ): WorkingCalendar {
    return new WorkingCalendar({ productionCalendar, workingHours: city.workingHours, timeZone: city.timezone, onUnknownYear });
  }

  /** The kind and working intervals of a local date "YYYY-MM-DD". */
  day(date: string): WorkingDay {
    let day = this.#days.get(date);
    if (day === undefined) {
      day = this.#compute(date);
      this.#days.set(date, day);
    }
    if (day.source === 'labour-code') this.#readFallback = true;
    return day;
  }

  /** True when the production calendar lists `year` (its facts, not the art. 112 fallback, apply). */
  knowsYear(year: number): boolean {
    return this.#years.has(year);
  }

  /**
   * Runs a computation on this calendar and says whether it read any day of a year the calendar does
   * not list: a result that rests on the art. 112 fallback is provisional, because the year's decree
   * may move days off. Synchronous by design (every deadline function is), so nesting is safe.
   */
  track<T>(compute: () => T): { value: T; provisional: boolean } {
    const outer = this.#readFallback;
    this.#readFallback = false;
    try {
      const value = compute();
      return { value, provisional: this.#readFallback };
    } finally {
      this.#readFallback = outer || this.#readFallback;
    }
  }

  /** True when the local date has working time. */
  isWorkingDay(date: string): boolean {
    return this.day(date).intervals.length > 0;
  }

  /** The working intervals of a local date (epoch ms), lunch excluded. */
  workingIntervals(date: string): readonly WorkingInterval[] {
    return this.day(date).intervals;
  }

  /** The local date of an instant. */
  localDateOf(instant: Date | number): string {
    return this.zone.dateAt(typeof instant === 'number' ? instant : instant.getTime());
  }

  /** The first working date strictly after `date`. */
  nextWorkingDay(date: string): string {
    let d = date;
    for (let i = 0; i < MAX_IDLE_DAYS; i++) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) return d;
    }
    throw noWorkingTime(date);
  }

  /** When a working date's working time ends (its last interval's end); a RangeError on a day off. */
  endOfWorkingDay(date: string): Date {
    const last = this.day(date).intervals.at(-1);
    if (last === undefined) throw new RangeError(`${date} is not a working day`);
    return new Date(last.end);
  }

  #compute(date: string): WorkingDay {
    const year = Number(date.slice(0, 4));
    const known = this.#years.get(year);
    if (known === undefined && !this.#reported.has(year)) {
      this.#reported.add(year);
      this.#onUnknownYear?.(year);
    }
    const type = known ? known.get(date) : labourCodeType(date);
    const source = known ? 'calendar' : 'labour-code';
    const own = this.#byWeekday[weekdayOf(date)];
    // A weekday the schedule leaves out works only when the calendar says so, on borrowed hours.
    const worked = type === 'working_weekend' || type === 'short_working_day';
    const hours = type === 'day_off' ? undefined : (own ?? (worked ? this.#weekendHours : undefined));
    if (hours === undefined) return { date, kind: 'off', source, intervals: [] };

    const short = type === 'short_working_day';
    const end = short ? Math.max(hours.start, hours.end - this.#shortening) : hours.end;
    const pieces = this.#lunch
      ? [
          { start: hours.start, end: Math.min(end, this.#lunch.start) },
          { start: Math.max(hours.start, this.#lunch.end), end },
        ]
      : [{ start: hours.start, end }];
    const intervals = pieces
      .filter((p) => p.end > p.start)
      .map((p) => ({ start: this.zone.instantOf(date, p.start), end: this.zone.instantOf(date, p.end) }));
    if (intervals.length === 0) return { date, kind: 'off', source, intervals };
    return { date, kind: short ? 'short' : 'working', source, intervals };
  }
}

/**
 * Longest run of days without working time that is still plausible (the New Year break is ~11);
 * beyond it the schedule or calendar must be broken, and looping on would never end.
 */
export const MAX_IDLE_DAYS = 366;

/** The error for a calendar with no working time for MAX_IDLE_DAYS days from `date`. */
export function noWorkingTime(date: string): Error {
  return new RangeError(
    `no working time within ${MAX_IDLE_DAYS} days after ${date}: check city.workingHours and the production calendar`,
  );
}

/** A year nobody listed: the art. 112 holidays rest, every other day follows the schedule. */
function labourCodeType(date: string): CalendarDayType | undefined {
  return LABOUR_CODE_HOLIDAYS.has(date.slice(5)) ? 'day_off' : undefined;
}

function toHours(interval: ClockInterval | undefined): Hours | undefined {
  return interval === undefined ? undefined : { start: minutesOf(interval.start), end: minutesOf(interval.end) };
}

function shorteningMinutes(duration: string): number {
  const { amount, unit } = parseDuration(duration);
  if (unit === 'h') return amount * 60;
  if (unit === 'm') return amount;
  throw new RangeError(`preHolidayShortening must be in hours or minutes, e.g. "1h", not ${JSON.stringify(duration)}`);
}
