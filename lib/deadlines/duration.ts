/**
 * Duration strings used by the domain configuration (deadlines, escalation offsets, windows); the
 * domain file's validation (config/domain.ts) accepts exactly what parseDuration reads.
 *
 * `wh` working hours and `wd` working days follow the production calendar and the city's working
 * hours; `d`, `h`, `m` are plain calendar days, hours and minutes (59-ФЗ counts calendar days, drills
 * use minutes). Turning an amount into an instant is deadline.ts's job, not this module's.
 */

/** Unit of a configured duration: working hours, working days, calendar days, hours, minutes. */
export type DurationUnit = 'wh' | 'wd' | 'd' | 'h' | 'm';

/** A parsed duration string such as `8wd`. */
export interface Duration {
  readonly amount: number;
  readonly unit: DurationUnit;
}

/** The accepted form: a whole number followed by a unit, no spaces (`4wh`, `8wd`, `30d`, `2h`, `15m`). */
export const DURATION_PATTERN = /^(\d+)(wh|wd|d|h|m)$/;

/** True when `s` is a well-formed duration string whose amount is a safe integer. */
export function isDuration(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const match = DURATION_PATTERN.exec(s);
  return match !== null && Number.isSafeInteger(Number(match[1]));
}

/** Parses `4wh` → `{ amount: 4, unit: 'wh' }`; throws a RangeError naming the accepted forms otherwise. */
export function parseDuration(s: string): Duration {
  const match = DURATION_PATTERN.exec(s);
  const amount = Number(match?.[1]);
  if (match === null || !Number.isSafeInteger(amount)) {
    throw new RangeError(
      `invalid duration ${JSON.stringify(s)}: expected a whole number followed by wh, wd, d, h or m, e.g. "4wh", "8wd", "30d", "2h", "15m"`,
    );
  }
  return { amount, unit: match[2] as DurationUnit };
}

/**
 * Wall-clock length of a duration, for windows that are not deadlines (the follow-up window, the
 * duplicate window). Working units are read as plain hours/days here; deadlines use working time.
 */
export function calendarMs(duration: string): number {
  const { amount, unit } = parseDuration(duration);
  return amount * { m: 60_000, h: 3_600_000, d: 86_400_000, wh: 3_600_000, wd: 86_400_000 }[unit];
}
