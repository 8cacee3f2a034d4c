import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCalendarYear } from '../../scripts/calendar/check-year.js';
import { parseFlatXml, XmlError } from '../../scripts/calendar/flat-xml.js';
import {
  CalendarInputError,
  type CalendarYearInput,
  readCalendarInput,
  readCalendarXml,
  readCalendarYaml,
} from '../../scripts/calendar/read-input.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/calendar/${name}`, import.meta.url));
const XML_2027 = readFileSync(fixture('2027.xml'), 'utf8');
const YAML_2027 = readFileSync(fixture('2027.yaml'), 'utf8');

/** The problems a bad input is refused with. */
function problems(read: () => unknown): readonly string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof CalendarInputError) return error.problems;
    throw error;
  }
  throw new Error('expected a CalendarInputError');
}

/** A minimal XML calendar with the given <day> lines. */
const xml = (days: string, year = '2027') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<calendar year="${year}"><days>\n${days}\n</days></calendar>`;

describe('the open-data XML (xmlcalendar.ru)', () => {
  it('when the published 2027 file is read, then its days off, short days and worked weekends are the decree’s', () => {
    const year = readCalendarXml(XML_2027, '2027.xml');
    expect(year.year).toBe(2027);
    expect(year.format).toBe('xml');
    expect(year.note).toBe('open-data XML of 2026.09.02');
    expect(year.days.day_off).toHaveLength(20);
    expect(year.days.day_off.slice(0, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((d) => `2027-01-0${d}`));
    expect(year.days.day_off).toContain('2027-02-22'); // moved from Saturday 20 February
    expect(year.days.day_off).toContain('2027-12-31'); // moved from 3 January
    expect(year.days.short_working_day).toEqual(['2027-02-20', '2027-04-30', '2027-06-11', '2027-11-03']);
    expect(year.days.working_weekend).toEqual([]);
  });

  it('when t="3" marks a worked Saturday, then it is a working weekend day', () => {
    const year = readCalendarXml(xml('<day d="04.27" t="3"/><day d="04.29" t="1" f="04.27"/>', '2024'), 'x.xml');
    expect(year.days.working_weekend).toEqual(['2024-04-27']);
    expect(year.days.day_off).toEqual(['2024-04-29']);
  });

  it('when the XML is malformed, then it is refused with the line of the problem', () => {
    expect(problems(() => readCalendarXml(xml('<day d="01.01" t="1">'), 'bad.xml'))).toEqual([
      expect.stringMatching(/^malformed XML: line 4: expected <\/day> \(opened on line 3\), found <\/days>/),
    ]);
    expect(problems(() => readCalendarXml('<calendar year="2027"><days><day d=01.01 t="1"/></days></calendar>', 'x'))).toEqual([
      expect.stringContaining('the value must be quoted'),
    ]);
    expect(problems(() => readCalendarXml(`${xml('<day d="01.01" t="1"/>')}<extra/>`, 'x'))).toEqual([
      expect.stringContaining('content after the root element'),
    ]);
  });

  it('when the XML has a DOCTYPE or an entity, then it is refused before anything is expanded', () => {
    const billionLaughs = `<?xml version="1.0"?>\n<!DOCTYPE calendar [<!ENTITY lol "lol">]>\n<calendar year="2027"><days><day d="&lol;" t="1"/></days></calendar>`;
    expect(problems(() => readCalendarXml(billionLaughs, 'x'))).toEqual([
      'malformed XML: line 2: a DOCTYPE is not allowed (no DTDs or entity declarations: the format needs none)',
    ]);
    expect(problems(() => readCalendarXml(xml('<day d="&ext;" t="1"/>'), 'x'))).toEqual([
      expect.stringContaining('unknown entity &ext; (entities are not allowed)'),
    ]);
    expect(problems(() => readCalendarXml(xml('<![CDATA[x]]>'), 'x'))).toEqual([expect.stringContaining('CDATA')]);
  });

  it('when a day has an unknown t or a date that does not exist, then every such line is named', () => {
    expect(
      problems(() => readCalendarXml(xml('<day d="01.01" t="4"/>\n<day d="02.29" t="1"/>\n<day d="1.5" t="1"/>'), 'x')),
    ).toEqual([
      'line 3: unknown t="4" (expected 1 a day off, 2 a short working day, 3 a worked Saturday or Sunday)',
      'line 4: d="02.29" is not a date MM.DD of 2027',
      'line 5: d="1.5" is not a date MM.DD of 2027',
    ]);
  });

  it('when the root or the year is wrong, or a day is listed twice, then it is refused', () => {
    expect(problems(() => readCalendarXml('<holidays/>', 'x'))).toEqual([
      expect.stringContaining('the root element is <holidays>'),
    ]);
    expect(problems(() => readCalendarXml(xml('', '27'), 'x'))).toEqual([
      expect.stringContaining('needs year="YYYY", found "27"'),
    ]);
    expect(problems(() => readCalendarXml(xml('<day d="05.01" t="1"/>\n<day d="05.01" t="2"/>'), 'x'))).toEqual([
      'line 4: 05.01 is listed twice (first on line 3)',
    ]);
  });

  it('when another encoding is declared, then the operator is told to save it as UTF-8', () => {
    expect(problems(() => readCalendarXml('<?xml version="1.0" encoding="windows-1251"?><calendar year="2027"/>', 'x'))).toEqual([
      expect.stringContaining('encoding "windows-1251" is not supported: save the file as UTF-8'),
    ]);
  });
});

describe('the flat XML reader', () => {
  it('when attributes use the predefined entities and character references, then they are decoded', () => {
    const root = parseFlatXml('\uFEFF<a t="&lt;&amp;&#65;&#x42;&quot;"><!-- note --><b/></a>');
    expect(root).toEqual({
      name: 'a',
      attributes: { t: '<&AB"' },
      children: [{ name: 'b', attributes: {}, children: [], line: 1 }],
      line: 1,
    });
  });

  it('when a file nests too deep or repeats an attribute, then it is refused', () => {
    expect(() => parseFlatXml(`${'<a>'.repeat(20)}${'</a>'.repeat(20)}`)).toThrow(XmlError);
    expect(() => parseFlatXml('<a t="1" t="2"/>')).toThrow(/given twice/);
  });
});

describe('the YAML form', () => {
  it('when the 2027 YAML is read, then it gives exactly the days of the XML (DD.MM.YYYY dates accepted)', () => {
    const fromYaml = readCalendarYaml(YAML_2027, '2027.yaml');
    expect(fromYaml.days).toEqual(readCalendarXml(XML_2027, '2027.xml').days);
    expect(fromYaml.note).toContain('Постановление Правительства РФ');
  });

  it('when a file is read without saying its form, then the content decides', () => {
    expect(readCalendarInput(XML_2027, 'a.txt').format).toBe('xml');
    expect(readCalendarInput(YAML_2027, 'a.txt').format).toBe('yaml');
  });

  it('when the YAML has unknown keys, a bad year or dates that are not dates, then each is named', () => {
    expect(problems(() => readCalendarYaml('year: 2027\nholidays: [2027-01-01]\n', 'x'))).toEqual([
      'unknown key holidays: expected year, source, day_off, short_working_day, working_weekend',
    ]);
    expect(problems(() => readCalendarYaml('year: "27"\n', 'x'))).toEqual([expect.stringMatching(/^year: /)]);
    expect(problems(() => readCalendarYaml('year: 2027\nday_off: [2027-02-30, "1 мая"]\n', 'x'))).toEqual([
      'day_off[0]: "2027-02-30" is not a date (YYYY-MM-DD or DD.MM.YYYY)',
      'day_off[1]: "1 мая" is not a date (YYYY-MM-DD or DD.MM.YYYY)',
    ]);
    expect(problems(() => readCalendarYaml('- just a list\n', 'x'))).toEqual([
      'expected a mapping with year and the lists of dates',
    ]);
  });

  it('when the YAML uses aliases or repeats a key, then it is refused as malformed', () => {
    expect(problems(() => readCalendarYaml('year: 2027\nyear: 2028\n', 'x'))[0]).toMatch(/^malformed YAML: /);
    expect(problems(() => readCalendarYaml('year: 2027\nday_off: &d [2027-01-01]\nshort_working_day: *d\n', 'x'))[0]).toMatch(
      /^malformed YAML: /,
    );
  });
});

describe('the checks before a year is written', () => {
  const year2027 = readCalendarXml(XML_2027, '2027.xml');
  const withDays = (days: Partial<CalendarYearInput['days']>): CalendarYearInput => ({
    ...year2027,
    days: { ...year2027.days, ...days },
  });

  it('when the published 2027 is checked, then it passes with 247 working days', () => {
    const check = checkCalendarYear(year2027, '2027.xml');
    expect(check.problems).toEqual([]);
    expect(check.doubts).toEqual([]);
    expect(check.figures).toEqual({ workingDays: 247, dayOff: 20, short: 4, workingWeekend: 0 });
  });

  it('when a date of another year is listed, then the app’s loader refuses it', () => {
    const check = checkCalendarYear(withDays({ day_off: [...year2027.days.day_off, '2028-01-01'] }), 'x.yaml');
    expect(check.problems).toEqual(['x.yaml: years.2027.day_off[20]: 2028-01-01 is not in year 2027']);
  });

  it('when a worked weekend day is a weekday, then the app’s loader refuses it', () => {
    expect(checkCalendarYear(withDays({ working_weekend: ['2027-03-10'] }), 'x').problems).toEqual([
      'x: years.2027.working_weekend[0]: 2027-03-10 is not a Saturday or Sunday',
    ]);
  });

  it('when the New Year holidays are missing, then it is doubted (Labour Code art. 112)', () => {
    const check = checkCalendarYear(withDays({ day_off: year2027.days.day_off.filter((d) => !d.startsWith('2027-01-')) }), 'x');
    expect(check.problems).toEqual([]);
    expect(check.doubts[0]).toContain(
      '2027-01-01, 2027-01-02, 2027-01-03, 2027-01-04, 2027-01-05, 2027-01-06, 2027-01-07, 2027-01-08',
    );
    expect(check.doubts).toHaveLength(1); // 253 working days: within the tolerance
    expect(check.figures.workingDays).toBe(253);
  });

  it('when a year lists almost nothing, then its working days are doubted', () => {
    const check = checkCalendarYear(withDays({ day_off: ['2027-01-01'], short_working_day: [] }), 'x');
    expect(check.figures.workingDays).toBe(260);
    expect(check.doubts).toContainEqual(expect.stringContaining('260 working days in a five-day week, outside 237–257'));
  });

  it('when a short day is followed by a working day, then it is doubted', () => {
    const check = checkCalendarYear(withDays({ short_working_day: [...year2027.days.short_working_day, '2027-03-10'] }), 'x');
    expect(check.doubts).toEqual([
      'short working day 2027-03-10 is followed by a working day (2027-03-11): a shortened day comes before a day off',
    ]);
  });
});
