/**
 * Local dates and wall-clock time in the city's time zone.
 *
 * A local date is a string "YYYY-MM-DD". A "wall" time is the local clock reading expressed as
 * milliseconds since 1970-01-01 00:00 *on that clock* — the arithmetic of Date.UTC without its
 * meaning — so "the same time N days later" is `wall + N × 24 h` and days never have 23 or 25 hours.
 * Converting between wall and real instants goes through Intl, never a hard-coded offset: Barnaul
 * was UTC+6 from October 2014 to March 2016, and a zone's rules can change again.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Wall milliseconds of a local date's midnight; throws a RangeError for anything but YYYY-MM-DD. */
export function wallOfDate(date: string): number {
  const m = DATE_PATTERN.exec(date);
  if (m === null) throw new RangeError(`invalid local date ${JSON.stringify(date)}: expected "YYYY-MM-DD"`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** The local date "YYYY-MM-DD" a wall time falls on. */
export function dateOfWall(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}

/** The local date `days` days after (or before, if negative) `date`. */
export function addDays(date: string, days: number): string {
  return dateOfWall(wallOfDate(date) + days * DAY_MS);
}

/** Day of the week of a local date: 0 Sunday … 6 Saturday, as Date#getDay. */
export function weekdayOf(date: string): number {
  return new Date(wallOfDate(date)).getUTCDay();
}

/** Minutes since midnight of "HH:MM". */
export function minutesOf(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

/** An IANA time zone: conversions between real instants and the local wall clock. */
export class TimeZone {
  readonly #format: Intl.DateTimeFormat;

  /** Throws a RangeError for a name Intl does not know. */
  constructor(readonly name: string) {
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The wall-clock reading at an instant (epoch ms). */
  wallAt(instant: number): number {
    const whole = Math.floor(instant / 1000) * 1000;
    const p: Record<string, number> = {};
    for (const part of this.#format.formatToParts(whole)) p[part.type] = Number(part.value);
    const wall = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
    return wall + (instant - whole);
  }

  /**
   * The instant (epoch ms) at which the wall clock reads `wall`. Two passes settle the offset; a
   * reading skipped by a forward jump maps to the instant one offset later, a repeated one to its first.
   */
  instantAt(wall: number): number {
    const first = wall - this.offsetAt(wall);
    return wall - this.offsetAt(first);
  }

  /** The local date of an instant. */
  dateAt(instant: number): string {
    return dateOfWall(this.wallAt(instant));
  }

  /** The instant of a local date and minute of the day. */
  instantOf(date: string, minuteOfDay: number): number {
    return this.instantAt(wallOfDate(date) + minuteOfDay * MINUTE_MS);
  }

  /** Offset from UTC in ms at an instant (e.g. 7 h for Asia/Barnaul today). */
  offsetAt(instant: number): number {
    return this.wallAt(instant) - instant;
  }
}
