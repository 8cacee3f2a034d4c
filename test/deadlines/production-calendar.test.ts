import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProductionCalendar, parseProductionCalendar } from '../../config/calendar.js';
import { ConfigError } from '../../config/errors.js';
import { CalendarSourceError, convertSourceCalendar, formatCalendarFile } from '../../scripts/import-production-calendar.js';

const SHIPPED = fileURLToPath(new URL('../../config/production-calendar.json', import.meta.url));
const SOURCE = fileURLToPath(new URL('../../../shared/data/ru-production-calendar/ru-production-calendar.json', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'mcu-calendar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a calendar file into the temporary directory and returns its path. */
function calendarFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('the shipped production calendar', () => {
  const calendar = loadProductionCalendar([SHIPPED]);

  it('covers 2013–2026 and nothing else', () => {
    expect([...calendar.years.keys()]).toEqual([
      2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026,
    ]);
  });

  it('keeps the facts of the decrees: days off, short days, working weekends', () => {
    const y2024 = calendar.years.get(2024);
    expect(y2024?.get('2024-04-27')).toBe('working_weekend'); // Saturday worked for Monday 29 April
    expect(y2024?.get('2024-04-29')).toBe('day_off'); // the transferred day off
    expect(y2024?.get('2024-11-02')).toBe('short_working_day'); // a worked Saturday that is also pre-holiday
    expect(y2024?.get('2024-06-03')).toBeUndefined(); // an ordinary Monday is no exception
    expect(y2024?.size).toBe(26); // 2024 in the source lists 26 exceptional days
    expect(calendar.years.get(2025)?.get('2025-03-07')).toBe('short_working_day'); // before 8 March
    expect(calendar.years.get(2025)?.get('2025-12-31')).toBe('day_off'); // moved from Sunday 5 January
  });

  it.skipIf(!existsSync(SOURCE))('is exactly what the import script makes of the shared data set', () => {
    const source: unknown = JSON.parse(readFileSync(SOURCE, 'utf8'));
    expect(formatCalendarFile(convertSourceCalendar(source))).toBe(readFileSync(SHIPPED, 'utf8'));
  });
});

describe('import script conversion', () => {
  it('keeps only dates and types, sorted and grouped by type', () => {
    const file = convertSourceCalendar({
      source: 'test',
      years: {
        '2027': {
          generated: '2026.09.01',
          days: [
            { date: '2027-01-02', type: 'day_off', holiday: 'Новогодние каникулы' },
            { date: '2027-01-01', type: 'day_off', holiday: 'Новогодние каникулы' },
            { date: '2027-02-22', type: 'short_working_day' },
          ],
        },
      },
    });
    expect(file.years).toEqual({ '2027': { day_off: ['2027-01-01', '2027-01-02'], short_working_day: ['2027-02-22'] } });
    expect(file.note).toMatch(/To add a year/);
  });

  it('refuses a source with an unknown day type, naming the entry', () => {
    const bad = { years: { '2027': { days: [{ date: '2027-01-01', type: 'holiday' }] } } };
    expect(() => convertSourceCalendar(bad)).toThrow(CalendarSourceError);
    expect(() => convertSourceCalendar(bad)).toThrow(/years\.2027\.days\[0\]/);
  });

  it('lays arrays out on one line when they fit in 130 columns and one per line otherwise, like biome', () => {
    const many = Array.from({ length: 12 }, (_, i) => `2027-01-${String(i + 10)}`);
    const text = formatCalendarFile({ years: { '2027': { day_off: many, working_weekend: ['2027-01-09'] } } });
    expect(text).toContain('"working_weekend": ["2027-01-09"]');
    expect(text).toContain('"day_off": [\n        "2027-01-10",\n');
    expect(JSON.parse(text)).toEqual({ years: { '2027': { day_off: many, working_weekend: ['2027-01-09'] } } });
  });
});

describe('loadProductionCalendar', () => {
  it('lists every problem of a bad file at once, each with the file name', () => {
    const path = calendarFile('bad.json', {
      years: {
        '2027': {
          day_off: ['2027-02-30', '2027-01-01', '2028-01-03', 'tomorrow'],
          short_working_day: ['2027-01-01'],
          working_weekend: ['2027-01-05'],
          holiday: ['2027-01-07'],
        },
        '27': {},
      },
    });
    const error = configError(() => loadProductionCalendar([path]));
    expect(error.problems).toHaveLength(7);
    for (const problem of error.problems) expect(problem.startsWith(`${path}:`)).toBe(true);
    const all = error.problems.join('\n');
    expect(all).toMatch(/years\.2027\.day_off\[0\]: must be a date "YYYY-MM-DD" that exists/); // 30 February
    expect(all).toMatch(/years\.2027\.day_off\[3\]: must be a date/); // "tomorrow"
    expect(all).toMatch(/years\.2027\.day_off\[2\]: 2028-01-03 is not in year 2027/);
    expect(all).toMatch(/years\.2027\.short_working_day\[0\]: duplicate date 2027-01-01 \(already listed as day_off\)/);
    expect(all).toMatch(/years\.2027\.working_weekend\[0\]: 2027-01-05 is not a Saturday or Sunday/); // a Tuesday
    expect(all).toMatch(/unknown type "holiday": expected day_off, short_working_day or working_weekend/);
    expect(all).toMatch(/a year must be four digits/);
  });

  it('reports a file that is not JSON or cannot be read, together with the other files', () => {
    const broken = calendarFile('broken.json', '{ "years": ');
    const missing = join(dir, 'missing.json');
    const error = configError(() => loadProductionCalendar([broken, missing]));
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]).toMatch(new RegExp(`^${broken}: not valid JSON`));
    expect(error.problems[1]).toMatch(new RegExp(`^${missing}: cannot read the production calendar`));
  });

  it('lets a later file replace a whole year and add new ones', () => {
    const extra = calendarFile('extra.json', {
      note: 'operator additions',
      years: { '2026': { day_off: ['2026-01-01'] }, '2027': { day_off: ['2027-01-01', '2027-01-02'] } },
    });
    const calendar = loadProductionCalendar([SHIPPED, extra]);
    expect(calendar.years.get(2026)?.size).toBe(1); // the shipped 2026 is gone, not merged
    expect(calendar.years.get(2026)?.get('2026-05-08')).toBeUndefined();
    expect(calendar.years.get(2027)?.get('2027-01-02')).toBe('day_off');
    expect(calendar.years.get(2025)?.get('2025-03-07')).toBe('short_working_day'); // untouched years stay
  });

  it('with no files knows no year', () => {
    expect(loadProductionCalendar([]).years.size).toBe(0);
  });

  it('parses text directly, rejecting keys other than note, source and years', () => {
    const error = configError(() => parseProductionCalendar('{"years": {}, "comment": "x"}', 'extra.json'));
    expect(error.problems).toEqual(['extra.json: unknown key "comment": expected note, source, years']);
  });
});
