/**
 * The Russian production calendar (производственный календарь): per year, the days that differ from
 * "the schedule's weekdays work, Saturday and Sunday rest". Shipped for 2013–2026 in
 * config/production-calendar.json (scripts/import-production-calendar.ts); an operator adds a year
 * to that file or to an extra file of the same format listed after it — a later file replaces a
 * year as a whole, so a corrected year never mixes with the old one.
 *
 * Only facts live here; what they mean for working time (hours, lunch, shortening, the fallback for
 * a year nobody listed) is lib/deadlines/working-calendar.ts, which also defines the shape read here
 * (ProductionCalendar, CalendarDayType).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { CALENDAR_DAY_TYPES, type CalendarDayType, type ProductionCalendar } from '../lib/deadlines/index.js';
import { ConfigError } from './errors.js';

/** The shipped calendar, relative to the working directory (like MCU_CONFIG's default). */
export const PRODUCTION_CALENDAR_FILE = 'config/production-calendar.json';

/**
 * The operator's calendar file under DATA_DIR, written by `mcu calendar import` and read after the
 * domain file's list: DATA_DIR is the one place a deployment keeps writable and across upgrades,
 * while the shipped files may sit read-only in the image.
 */
export const OPERATOR_CALENDAR_NAME = 'production-calendar.json';

/** DATA_DIR's calendar file (it may not exist yet). */
export function operatorCalendarPath(dataDir: string): string {
  return resolve(join(dataDir, OPERATOR_CALENDAR_NAME));
}

/**
 * The shipped calendars: 2013–2026 as generated from the open data (scripts/import-production-calendar.ts), and
 * each later year as `mcu calendar import` wrote it from the published XML (the decree of the autumn before).
 */
export const DEFAULT_CALENDARS: readonly string[] = ['production-calendar.json', 'production-calendar-2027.json'];

type CalendarsOfDomain = { readonly city: { readonly productionCalendars?: readonly string[] | undefined } };

/** The domain file's calendars (default DEFAULT_CALENDARS), as paths resolved against the domain file's folder. */
export function listedCalendarFiles(domainPath: string, domain: CalendarsOfDomain): string[] {
  return (domain.city.productionCalendars ?? DEFAULT_CALENDARS).map((f) => resolve(dirname(domainPath), f));
}

/**
 * The calendar files the app reads, in order: `city.productionCalendars` of the domain file (relative
 * to it; default the shipped DEFAULT_CALENDARS), then DATA_DIR/production-calendar.json when it
 * exists — last, so a year imported there replaces the same year of any other file.
 */
export function productionCalendarFiles(
  config: { readonly domainConfigPath: string; readonly dataDir: string },
  domain: CalendarsOfDomain,
): string[] {
  const listed = listedCalendarFiles(config.domainConfigPath, domain);
  const operator = operatorCalendarPath(config.dataDir);
  return existsSync(operator) && !listed.includes(operator) ? [...listed, operator] : listed;
}

/** For each year, the file that provides it (the last of `paths` that lists it); throws like loadProductionCalendar. */
export function productionCalendarSources(paths: readonly string[]): Map<number, string> {
  loadProductionCalendar(paths);
  const sources = new Map<number, string>();
  for (const path of paths) {
    for (const year of parseProductionCalendar(readFileSync(path, 'utf8'), path).years.keys()) sources.set(year, path);
  }
  return new Map([...sources].sort(([a], [b]) => a - b));
}

/** The on-disk format: `years["2024"].day_off = ["2024-01-01", …]`; `note` and `source` are free text. */
export interface ProductionCalendarFile {
  note?: string;
  source?: string;
  years: Record<string, Partial<Record<CalendarDayType, string[]>>>;
}

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TYPE_LIST = 'day_off, short_working_day or working_weekend';

/** True for an existing calendar date written as YYYY-MM-DD (no 2025-02-29). */
export function isIsoDate(s: string): boolean {
  const m = DATE_PATTERN.exec(s);
  if (m === null) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === s;
}

const date = z.string().refine(isIsoDate, 'must be a date "YYYY-MM-DD" that exists');
const dates = z.array(date);
const year = z.strictObject({
  day_off: dates.optional(),
  short_working_day: dates.optional(),
  working_weekend: dates.optional(),
});
const file = z.strictObject({
  note: z.string().optional(),
  source: z.string().optional(),
  years: z.record(z.string().regex(/^\d{4}$/, 'a year must be four digits, e.g. "2027"'), year),
});

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

/**
 * Reads the calendar files in order (later files replace earlier ones per year); throws one
 * ConfigError listing every problem of every file, each prefixed with its file name.
 */
export function loadProductionCalendar(paths: readonly string[]): ProductionCalendar {
  const problems: string[] = [];
  const parsed: Array<Map<number, Map<string, CalendarDayType>>> = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      problems.push(`${path}: cannot read the production calendar: ${(err as Error).message}`);
      continue;
    }
    const result = validateCalendarText(text, path);
    problems.push(...result.problems);
    parsed.push(result.years);
  }
  if (problems.length > 0) throw new ConfigError(`production calendar (${paths.join(', ')})`, problems);

  const years = new Map<number, ReadonlyMap<string, CalendarDayType>>();
  for (const fileYears of parsed) for (const [y, days] of fileYears) years.set(y, days);
  return { years };
}

/** Validates one file's text; `sourceName` prefixes every problem. Throws ConfigError when invalid. */
export function parseProductionCalendar(text: string, sourceName: string): ProductionCalendar {
  const { problems, years } = validateCalendarText(text, sourceName);
  if (problems.length > 0) throw new ConfigError(sourceName, problems);
  return { years };
}

function validateCalendarText(
  text: string,
  name: string,
): { problems: string[]; years: Map<number, Map<string, CalendarDayType>> } {
  const years = new Map<number, Map<string, CalendarDayType>>();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { problems: [`${name}: not valid JSON: ${(err as Error).message}`], years };
  }
  const problems: string[] = [];
  const result = file.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...describeIssue(name, issue));
  }
  // Checks across a year's lists run on the raw data, so a typo elsewhere does not hide them.
  const rawYears = (raw as { years?: unknown } | null)?.years;
  if (typeof rawYears === 'object' && rawYears !== null) {
    for (const [key, lists] of Object.entries(rawYears)) {
      if (!/^\d{4}$/.test(key)) continue; // reported by the schema
      const days = new Map<string, CalendarDayType>();
      years.set(Number(key), days);
      for (const type of CALENDAR_DAY_TYPES) {
        const list: unknown = (lists as Record<string, unknown> | null)?.[type];
        if (!Array.isArray(list)) continue;
        list.forEach((d: unknown, i) => {
          if (typeof d !== 'string' || !isIsoDate(d)) return; // reported by the schema
          const at = `${name}: years.${key}.${type}[${i}]`;
          const first = days.get(d);
          if (first !== undefined) problems.push(`${at}: duplicate date ${d} (already listed as ${first})`);
          else if (!d.startsWith(`${key}-`)) problems.push(`${at}: ${d} is not in year ${key}`);
          else if (type === 'working_weekend' && !isWeekend(d)) problems.push(`${at}: ${d} is not a Saturday or Sunday`);
          else days.set(d, type);
        });
      }
    }
  }
  return { problems, years };
}

function describeIssue(name: string, issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const where = path === '' ? `${name}:` : `${name}: ${path.slice(1)}:`;
  if (issue.code === 'unrecognized_keys') {
    const isYear = issue.path.length === 2 && issue.path[0] === 'years';
    return issue.keys.map((k) =>
      isYear
        ? `${where} unknown type "${k}": expected ${TYPE_LIST}`
        : `${where} unknown key "${k}": expected note, source, years`,
    );
  }
  if (issue.code === 'invalid_key') return [`${where} ${issue.issues[0]?.message ?? issue.message}`];
  if (issue.code === 'invalid_type' && issue.path.length === 0) return [`${name}: expected an object with "years"`];
  return [`${where} ${issue.message}`];
}

function isWeekend(d: string): boolean {
  const day = new Date(`${d}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}
