/**
 * One year of the production calendar from the forms it is published or written in:
 *
 *  - the open-data XML of xmlcalendar.ru (also republished on data.gov.ru and elsewhere):
 *    `<calendar year="2027" …><holidays>…</holidays><days><day d="01.01" t="1" h="1"/>…</days></calendar>`,
 *    where `d` is MM.DD and `t` is 1 a day off, 2 a shortened pre-holiday working day, 3 a worked
 *    Saturday or Sunday (`h` names the holiday, `f` the day a day off was moved from — not needed here);
 *  - a small YAML form an operator can type from the decree (docs/operations/production-calendar.md):
 *    `year: 2027`, optional `source: …`, and `day_off`, `short_working_day`, `working_weekend` lists of
 *    dates (YYYY-MM-DD or DD.MM.YYYY).
 *
 * The result is the app's own file format for one year; config/calendar.ts's loader validates it next.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isIsoDate } from '../../config/calendar.js';
import { CALENDAR_DAY_TYPES, type CalendarDayType } from '../../lib/deadlines/index.js';
import { parseFlatXml, XmlError } from './flat-xml.js';

export interface CalendarYearInput {
  readonly year: number;
  /** Each type's dates, sorted, as YYYY-MM-DD. */
  readonly days: Readonly<Record<CalendarDayType, readonly string[]>>;
  readonly format: 'xml' | 'yaml';
  /** What the file says of itself (the XML's generation date, the YAML's `source`), for the summary. */
  readonly note: string | null;
}

/** A file that is not a calendar year; `problems` lists every one found, each naming where. */
export class CalendarInputError extends Error {
  override readonly name = 'CalendarInputError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: not a production calendar year:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The XML's `t` codes. */
const XML_TYPES: Readonly<Record<string, CalendarDayType>> = { '1': 'day_off', '2': 'short_working_day', '3': 'working_weekend' };

/** Reads a file's text by its content: XML when it starts with "<", the YAML form otherwise. */
export function readCalendarInput(text: string, file: string): CalendarYearInput {
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('<')
    ? readCalendarXml(text, file)
    : readCalendarYaml(text, file);
}

/** The open-data XML (see the module comment). */
export function readCalendarXml(text: string, file: string): CalendarYearInput {
  let root: ReturnType<typeof parseFlatXml>;
  try {
    root = parseFlatXml(text);
  } catch (error) {
    if (error instanceof XmlError) throw new CalendarInputError(file, [`malformed XML: ${error.message}`]);
    throw error;
  }
  const problems: string[] = [];
  if (root.name !== 'calendar')
    throw new CalendarInputError(file, [`the root element is <${root.name}>, expected <calendar year="YYYY">`]);
  const yearText = root.attributes.year ?? '';
  if (!/^\d{4}$/.test(yearText))
    throw new CalendarInputError(file, [`line ${root.line}: <calendar> needs year="YYYY", found ${JSON.stringify(yearText)}`]);
  const year = Number(yearText);
  const lists = emptyLists();
  const seen = new Map<string, number>();
  const daysElements = root.children.filter((c) => c.name === 'days');
  for (const child of root.children)
    if (child.name !== 'days' && child.name !== 'holidays')
      problems.push(`line ${child.line}: unexpected <${child.name}> in <calendar> (expected <holidays> and <days>)`);
  if (daysElements.length !== 1) problems.push(`<calendar> needs exactly one <days>, found ${daysElements.length}`);
  for (const day of daysElements.flatMap((d) => d.children)) {
    const at = `line ${day.line}`;
    if (day.name !== 'day') {
      problems.push(`${at}: unexpected <${day.name}> in <days> (expected <day d="MM.DD" t="1|2|3"/>)`);
      continue;
    }
    const d = day.attributes.d ?? '';
    const t = day.attributes.t ?? '';
    const m = /^(\d{2})\.(\d{2})$/.exec(d);
    const date = m ? `${year}-${m[1]}-${m[2]}` : null;
    const type = XML_TYPES[t];
    if (date === null || !isIsoDate(date)) problems.push(`${at}: d="${d}" is not a date MM.DD of ${year}`);
    if (type === undefined)
      problems.push(`${at}: unknown t="${t}" (expected 1 a day off, 2 a short working day, 3 a worked Saturday or Sunday)`);
    if (date === null || !isIsoDate(date) || type === undefined) continue;
    const first = seen.get(date);
    if (first !== undefined) {
      problems.push(`${at}: ${d} is listed twice (first on line ${first})`);
      continue;
    }
    seen.set(date, day.line);
    lists[type].push(date);
  }
  if (problems.length > 0) throw new CalendarInputError(file, problems);
  const generated = root.attributes.date;
  return { year, days: sorted(lists), format: 'xml', note: generated ? `open-data XML of ${generated}` : 'open-data XML' };
}

const yamlDate = z.preprocess(
  // A `%YAML 1.1` file turns dates into timestamps; take their date back.
  (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v),
  z.string(),
);
const yamlForm = z.strictObject({
  year: z.union([z.number().int(), z.string().regex(/^\d{4}$/)]).transform(Number),
  source: z.string().optional(),
  day_off: z.array(yamlDate).optional(),
  short_working_day: z.array(yamlDate).optional(),
  working_weekend: z.array(yamlDate).optional(),
});

/** The YAML form (see the module comment); dates outside the year are left to the loader to report. */
export function readCalendarYaml(text: string, file: string): CalendarYearInput {
  let raw: unknown;
  try {
    // No aliases (no expansion tricks), no duplicate keys.
    raw = parseYaml(text, { maxAliasCount: 0, uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    throw new CalendarInputError(file, [`malformed YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  const parsed = yamlForm.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys')
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}: expected year, source, ${CALENDAR_DAY_TYPES.join(', ')}`;
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      return path === '' ? 'expected a mapping with year and the lists of dates' : `${path.slice(1)}: ${issue.message}`;
    });
    throw new CalendarInputError(file, problems);
  }
  const { year, source, ...given } = parsed.data;
  const problems: string[] = [];
  if (year < 1991 || year > 2200) problems.push(`year: ${year} is not a plausible year`);
  const lists = emptyLists();
  for (const type of CALENDAR_DAY_TYPES) {
    (given[type] ?? []).forEach((value, i) => {
      const date = isoFromRussian(value.trim());
      if (!isIsoDate(date)) problems.push(`${type}[${i}]: "${value}" is not a date (YYYY-MM-DD or DD.MM.YYYY)`);
      else lists[type].push(date);
    });
  }
  if (problems.length > 0) throw new CalendarInputError(file, problems);
  return { year, days: sorted(lists), format: 'yaml', note: source ?? null };
}

/** "09.01.2027" → "2027-01-09"; anything else unchanged. */
function isoFromRussian(value: string): string {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : value;
}

function emptyLists(): Record<CalendarDayType, string[]> {
  return { day_off: [], short_working_day: [], working_weekend: [] };
}

function sorted(lists: Record<CalendarDayType, string[]>): Record<CalendarDayType, readonly string[]> {
  return {
    day_off: [...lists.day_off].sort(),
    short_working_day: [...lists.short_working_day].sort(),
    working_weekend: [...lists.working_weekend].sort(),
  };
}
