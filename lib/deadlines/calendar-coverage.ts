/**
 * Whether the production calendar covers the years deadlines are being set in. This year must be
 * listed; next year must be listed from 1 October (city time): a 30-day deadline set in December
 * ends in January, and the Government's decree on next year's transfers of days off is usually out
 * by then (docs/operations/production-calendar.md). A year nobody listed still works — on the
 * Labour Code art. 112 fallback, with provisional deadlines — so a gap is a warning, never a failure.
 */
import type { WorkingCalendar } from './working-calendar.js';

/** From this local month-day on, next year's absence is a warning. */
export const NEXT_YEAR_DUE = '10-01';

/** What the coverage check needs of a calendar (a WorkingCalendar, or the console's view of the files). */
export type CoverageCalendar = Pick<WorkingCalendar, 'knowsYear' | 'localDateOf'>;

export interface CalendarCoverage {
  /** The local date of `now` in the city, "YYYY-MM-DD". */
  readonly today: string;
  readonly thisYear: number;
  readonly nextYear: number;
  /** True from 1 October: next year should be listed by now. */
  readonly nextYearDue: boolean;
  /** Years that should be listed and are not: this year, and next year once it is due. Ascending. */
  readonly missing: readonly number[];
}

/** Which years the calendar should list at `now` and which of them it does not. */
export function calendarCoverage(calendar: CoverageCalendar, now: Date): CalendarCoverage {
  const today = calendar.localDateOf(now);
  const thisYear = Number(today.slice(0, 4));
  const nextYear = thisYear + 1;
  const nextYearDue = today.slice(5) >= NEXT_YEAR_DUE;
  const missing = [thisYear, ...(nextYearDue ? [nextYear] : [])].filter((y) => !calendar.knowsYear(y));
  return { today, thisYear, nextYear, nextYearDue, missing };
}

/**
 * For the readiness check: `ok` is false when a year that should be listed is missing, with one
 * English warning per year. The app still works then (deadlines on the art. 112 fallback, marked
 * provisional), so a caller shows the warnings and does not take the instance out of service.
 */
export function calendarReadiness(calendar: CoverageCalendar, now: Date): { ok: boolean; warnings: string[] } {
  const coverage = calendarCoverage(calendar, now);
  const warnings = coverage.missing.map((year) =>
    year === coverage.thisYear
      ? `the production calendar has no ${year} (this year): deadlines are counted on the Labour Code art. 112 holidays only and marked provisional; add the year with "mcu calendar import"`
      : `the production calendar has no ${year} (next year): deadlines that reach into it are provisional (Labour Code art. 112 holidays only); add the year with "mcu calendar import" once the Government's decree is published`,
  );
  return { ok: warnings.length === 0, warnings };
}

/** The ISO 8601 week of a local date "YYYY-MM-DD", as "2026-W40" (the week-year may differ from the date's year). */
export function isoWeekOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1));
  // The week belongs to the year of its Thursday.
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const weekYear = day.getUTCFullYear();
  const week = Math.ceil(((day.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}
