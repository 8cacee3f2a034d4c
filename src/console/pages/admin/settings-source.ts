import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { listedCalendarFiles } from '../../../../config/calendar.js';
import type { DomainConfig } from '../../../../config/domain.js';

/**
 * Where each setting the settings page shows comes from: the line of a department's or a category's
 * `id`, of each SLA policy and escalation step in the domain file, and of each year in the production
 * calendar files. Read once per file (at the first request) and kept: the running app read the same
 * files at start, and neither is re-read while it runs. Only the files' own content is shown — never
 * the environment.
 */
export interface SettingsSource {
  /** The domain file as the operator names it (relative to the working directory when inside it). */
  file: string;
  /** Set when the file could not be read or parsed (the page shows no lines then). */
  problem: string | null;
  departments: ReadonlyMap<string, number>;
  categories: ReadonlyMap<string, number>;
  /** `sla.policies.<regime>[i]` → its line. */
  policies: ReadonlyMap<string, readonly (number | null)[]>;
  escalation: readonly (number | null)[];
  reminders: number | null;
  quietHours: number | null;
  calendars: readonly CalendarFile[];
}

export interface CalendarFile {
  file: string;
  problem: string | null;
  years: readonly { year: number; line: number | null; dayOff: number; short: number; workingWeekend: number }[];
}

const cache = new Map<string, Promise<SettingsSource>>();

/**
 * The sources of `domainPath` and its calendars (`calendarFiles`, as the app read them; default the
 * domain file's list), computed once and kept (a failed read is retried next time).
 */
export function settingsSource(
  domainPath: string,
  domain: Pick<DomainConfig, 'city'>,
  calendarFiles?: readonly string[],
): Promise<SettingsSource> {
  let found = cache.get(domainPath);
  if (!found) {
    found = locate(domainPath, domain, calendarFiles);
    cache.set(domainPath, found);
    const forget = () => cache.delete(domainPath);
    found.then((s) => {
      if (s.problem !== null) forget();
    }, forget);
  }
  return found;
}

async function locate(
  domainPath: string,
  domain: Pick<DomainConfig, 'city'>,
  calendarFiles: readonly string[] | undefined,
): Promise<SettingsSource> {
  const calendarPaths = calendarFiles ?? listedCalendarFiles(domainPath, domain);
  const calendars = await Promise.all(calendarPaths.map(calendarFile));
  const empty = {
    file: shown(domainPath),
    departments: new Map(),
    categories: new Map(),
    policies: new Map(),
    escalation: [],
    reminders: null,
    quietHours: null,
    calendars,
  };
  let text: string;
  try {
    text = await readFile(domainPath, 'utf8');
  } catch (error) {
    return { ...empty, problem: `не удалось прочитать файл: ${(error as NodeJS.ErrnoException).code ?? 'ошибка'}` };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) return { ...empty, problem: 'файл изменён и не разбирается как YAML' };
  const lineAt = (node: unknown): number | null => {
    const start = (node as { range?: readonly number[] } | null | undefined)?.range?.[0];
    return start === undefined ? null : lineCounter.linePos(start).line;
  };
  /** Each list entry's `id` → the line it is written on. */
  const ids = (key: string): Map<string, number> => {
    const lines = new Map<string, number>();
    const seq = doc.get(key, true);
    if (!isSeq(seq)) return lines;
    for (const item of seq.items) {
      if (!isMap(item)) continue;
      const id = item.get('id', true);
      const line = lineAt(id);
      if (isScalar(id) && line !== null) lines.set(String(id.value), line);
    }
    return lines;
  };
  const entries = (path: readonly string[]): (number | null)[] => {
    const seq = doc.getIn(path, true);
    return isSeq(seq) ? seq.items.map(lineAt) : [];
  };
  const policies = new Map<string, (number | null)[]>();
  const regimes = doc.getIn(['sla', 'policies'], true);
  if (isMap(regimes))
    for (const pair of regimes.items)
      if (isScalar(pair.key)) policies.set(String(pair.key.value), entries(['sla', 'policies', String(pair.key.value)]));
  return {
    ...empty,
    problem: null,
    departments: ids('departments'),
    categories: ids('categories'),
    policies,
    escalation: entries(['sla', 'escalation', 'steps']),
    reminders: keyLine(doc.getIn(['sla'], true), 'reminders', lineAt),
    quietHours: keyLine(doc.getIn(['sla'], true), 'quietHours', lineAt),
  };
}

function keyLine(map: unknown, key: string, lineAt: (node: unknown) => number | null): number | null {
  if (!isMap(map)) return null;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return pair ? lineAt(pair.key) : null;
}

/** A calendar file's years (each year's line and how many exceptions it lists). */
async function calendarFile(path: string): Promise<CalendarFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return {
      file: shown(path),
      problem: `не удалось прочитать: ${(error as NodeJS.ErrnoException).code ?? 'ошибка'}`,
      years: [],
    };
  }
  let years: Record<string, Record<string, unknown[] | undefined>>;
  try {
    years = (JSON.parse(text) as { years?: typeof years }).years ?? {};
  } catch {
    return { file: shown(path), problem: 'не разбирается как JSON', years: [] };
  }
  const lines = text.split('\n');
  const count = (list: unknown) => (Array.isArray(list) ? list.length : 0);
  return {
    file: shown(path),
    problem: null,
    years: Object.entries(years)
      .map(([year, days]) => {
        const index = lines.findIndex((l) => new RegExp(`^\\s*"${year}"\\s*:`).test(l));
        return {
          year: Number(year),
          line: index < 0 ? null : index + 1,
          dayOff: count(days?.day_off),
          short: count(days?.short_working_day),
          workingWeekend: count(days?.working_weekend),
        };
      })
      .sort((a, b) => a.year - b.year),
  };
}

/** A path as the operator wrote it: relative to the working directory when it lies inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
