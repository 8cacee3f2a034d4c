/**
 * Checks one production-calendar year before it is written: first with the app's own loader
 * (config/calendar.ts: real dates, all in the year, no date twice, a worked weekend day is a Saturday
 * or Sunday), then for plausibility against what every decree since the Labour Code has respected —
 * the art. 112 holidays rest (1–8 January among them), a shortened day comes before a day off, and
 * a five-day week has 247 ± 10 working days (2013–2026: 247 or 248, but 240 in 2021 and 219 in 2020
 * with the pandemic's non-working days — 2020 would need --force). A failed loader check is never
 * written; a doubt is written only with --force (a decree may one day do something new).
 */
import { parseProductionCalendar } from '../../config/calendar.js';
import { ConfigError } from '../../config/errors.js';
import { CALENDAR_DAY_TYPES, type CalendarDayType, LABOUR_CODE_HOLIDAYS } from '../../lib/deadlines/index.js';
import type { CalendarYearInput } from './read-input.js';

/** Working days of a five-day week in a year, as the decrees of 2013–2026 made it (247 or 248; 2020–2021 aside). */
export const EXPECTED_WORKING_DAYS = 247;
/** How far a year may stray from EXPECTED_WORKING_DAYS before it is doubted. */
export const WORKING_DAYS_TOLERANCE = 10;

export interface YearFigures {
  /** Working days of a Monday–Friday week (shortened days included). */
  readonly workingDays: number;
  readonly dayOff: number;
  readonly short: number;
  readonly workingWeekend: number;
}

export interface YearCheck {
  /** The year as the calendar file stores it (types without dates left out). */
  readonly lists: Partial<Record<CalendarDayType, string[]>>;
  readonly figures: YearFigures;
  /** The loader's findings: the year cannot be written. */
  readonly problems: readonly string[];
  /** Plausibility doubts: written only with --force. */
  readonly doubts: readonly string[];
}

/** Runs every check on one year; `file` prefixes the loader's messages. */
export function checkCalendarYear(input: CalendarYearInput, file: string): YearCheck {
  const { year } = input;
  const lists = Object.fromEntries(
    CALENDAR_DAY_TYPES.filter((t) => input.days[t].length > 0).map((t) => [t, [...input.days[t]]]),
  ) as Partial<Record<CalendarDayType, string[]>>;
  const problems: string[] = [];
  try {
    parseProductionCalendar(JSON.stringify({ years: { [year]: lists } }), file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const types = new Map<string, CalendarDayType>();
  for (const t of CALENDAR_DAY_TYPES) for (const d of input.days[t]) if (!types.has(d)) types.set(d, t);
  const working = (date: string) => {
    const type = types.get(date);
    if (type === 'day_off') return false;
    if (type === 'working_weekend' || type === 'short_working_day') return true;
    return !isWeekend(date);
  };

  let workingDays = 0;
  for (let d = `${year}-01-01`; d.startsWith(`${year}-`); d = nextDate(d)) if (working(d)) workingDays++;
  const figures: YearFigures = {
    workingDays,
    dayOff: input.days.day_off.length,
    short: input.days.short_working_day.length,
    workingWeekend: input.days.working_weekend.length,
  };

  const doubts: string[] = [];
  const missingHolidays = [...LABOUR_CODE_HOLIDAYS].map((md) => `${year}-${md}`).filter((d) => types.get(d) !== 'day_off');
  if (missingHolidays.length > 0)
    doubts.push(
      `not listed as days off, though Labour Code art. 112 makes them holidays: ${missingHolidays.join(', ')} (the open-data XML lists them even on a weekend)`,
    );
  if (Math.abs(workingDays - EXPECTED_WORKING_DAYS) > WORKING_DAYS_TOLERANCE)
    doubts.push(
      `${workingDays} working days in a five-day week, outside ${EXPECTED_WORKING_DAYS - WORKING_DAYS_TOLERANCE}–${EXPECTED_WORKING_DAYS + WORKING_DAYS_TOLERANCE} (2013–2026 had ${EXPECTED_WORKING_DAYS}–248, 2020 and 2021 aside): is the list complete?`,
    );
  for (const d of input.days.short_working_day) {
    const next = nextDate(d);
    // A pre-holiday day (art. 95) comes before a rest day; 31 December precedes next year's holidays.
    if (next.startsWith(`${year}-`) && working(next))
      doubts.push(`short working day ${d} is followed by a working day (${next}): a shortened day comes before a day off`);
  }
  return { lists, figures, problems, doubts };
}

function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}
