/**
 * `mcu calendar import`'s work, without the command line: read one year (XML or the YAML form),
 * check it, merge it into the target calendar file (DATA_DIR/production-calendar.json unless told
 * otherwise), check every file the app will read with the app's own loader, and only then replace the
 * target — atomically (a temporary file renamed over it), so a crash leaves the old file whole.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  loadProductionCalendar,
  operatorCalendarPath,
  type ProductionCalendarFile,
  parseProductionCalendar,
  productionCalendarFiles,
  productionCalendarSources,
} from '../../config/calendar.js';
import { ConfigError } from '../../config/errors.js';
import { CALENDAR_DAY_TYPES } from '../../lib/deadlines/index.js';
import { formatCalendarFile } from '../import-production-calendar.js';
import { checkCalendarYear, type YearFigures } from './check-year.js';
import { CalendarInputError, type CalendarYearInput, readCalendarInput } from './read-input.js';

/** Larger than any calendar year by far; a bigger file is not one. */
export const MAX_INPUT_BYTES = 1_000_000;

/** Explains DATA_DIR's calendar file to whoever opens it. */
export const OPERATOR_FILE_NOTE =
  'Years added by "mcu calendar import" (docs/operations/production-calendar.md), in the format of config/production-calendar.json. ' +
  'The app reads this file after the files of city.productionCalendars, so a year here replaces the same year there.';

export interface ImportRequest {
  readonly input: string;
  /** Where to write; default DATA_DIR/production-calendar.json. */
  readonly output?: string;
  readonly dryRun: boolean;
  /** Write despite plausibility doubts (never despite the loader's problems). */
  readonly force: boolean;
  readonly config: { readonly domainConfigPath: string; readonly dataDir: string };
  readonly domain: { readonly city: { readonly productionCalendars?: readonly string[] | undefined } };
}

export type ImportOutcome =
  | { status: 'invalid'; problems: readonly string[] }
  | { status: 'doubtful'; year: number; figures: YearFigures; doubts: readonly string[] }
  | {
      status: 'written' | 'dry_run';
      year: number;
      format: CalendarYearInput['format'];
      note: string | null;
      figures: YearFigures;
      doubts: readonly string[];
      target: string;
      /** The file that gave the app this year before (null: the year is new). */
      replaced: string | null;
      /** Dates whose type changed, appeared or disappeared against what the app had (0 for a new year). */
      changedDays: number;
      /** False when the app does not read `target` (an --output outside its list): say so. */
      readByApp: boolean;
    };

/** Reads, checks, merges and (unless a dry run) writes; throws only for what is not the input's fault. */
export function importCalendarYear(req: ImportRequest): ImportOutcome {
  const size = statSync(req.input).size;
  if (size > MAX_INPUT_BYTES)
    return { status: 'invalid', problems: [`${req.input}: ${size} bytes, more than a calendar year can be`] };
  let input: CalendarYearInput;
  try {
    input = readCalendarInput(readFileSync(req.input, 'utf8'), req.input);
  } catch (error) {
    if (error instanceof CalendarInputError)
      return { status: 'invalid', problems: error.problems.map((p) => `${req.input}: ${p}`) };
    throw error;
  }
  const check = checkCalendarYear(input, req.input);
  if (check.problems.length > 0) return { status: 'invalid', problems: check.problems };
  if (check.doubts.length > 0 && !req.force)
    return { status: 'doubtful', year: input.year, figures: check.figures, doubts: check.doubts };

  const target = resolve(req.output ?? operatorCalendarPath(req.config.dataDir));
  const before = productionCalendarFiles(req.config, req.domain);
  let existing: ProductionCalendarFile | null = null;
  if (existsSync(target)) {
    const text = readFileSync(target, 'utf8');
    try {
      parseProductionCalendar(text, target);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return {
        status: 'invalid',
        problems: [`${target} (the file to add the year to) is not a valid calendar; fix it first:`, ...error.problems],
      };
    }
    existing = JSON.parse(text) as ProductionCalendarFile;
  }
  const years = { ...(existing?.years ?? {}), [String(input.year)]: check.lists };
  const merged: ProductionCalendarFile = {
    note: existing?.note ?? OPERATOR_FILE_NOTE,
    ...(existing?.source === undefined ? {} : { source: existing.source }),
    years: Object.fromEntries(Object.entries(years).sort(([a], [b]) => a.localeCompare(b))),
  };

  // What the app will read after the write: its files with the target among them (DATA_DIR's last),
  // each checked with the app's loader — the new text included — before anything is replaced.
  const operatorFile = operatorCalendarPath(req.config.dataDir);
  const after = before.includes(target) || target !== operatorFile ? before : [...before, target];
  const readByApp = after.includes(target);
  const text = formatCalendarFile(merged);
  try {
    parseProductionCalendar(text, target);
    loadProductionCalendar(after.filter((f) => f !== target));
  } catch (error) {
    if (error instanceof ConfigError) return { status: 'invalid', problems: error.problems };
    throw error;
  }
  const replaced = productionCalendarSources(before).get(input.year) ?? null;
  const changedDays = replaced === null ? 0 : changedDates(loadProductionCalendar(before).years.get(input.year), check.lists);
  if (!req.dryRun) {
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.tmp-${process.pid}`;
    writeFileSync(temporary, text);
    renameSync(temporary, target);
  }
  return {
    status: req.dryRun ? 'dry_run' : 'written',
    year: input.year,
    format: input.format,
    note: input.note,
    figures: check.figures,
    doubts: check.doubts,
    target,
    replaced,
    changedDays,
    readByApp,
  };
}

function changedDates(
  old: ReadonlyMap<string, string> | undefined,
  lists: Partial<Record<(typeof CALENDAR_DAY_TYPES)[number], string[]>>,
): number {
  const now = new Map<string, string>();
  for (const t of CALENDAR_DAY_TYPES) for (const d of lists[t] ?? []) now.set(d, t);
  const dates = new Set([...(old?.keys() ?? []), ...now.keys()]);
  return [...dates].filter((d) => old?.get(d) !== now.get(d)).length;
}
