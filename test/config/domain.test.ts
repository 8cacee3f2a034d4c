import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDomainConfig, parseDomainConfig } from '../../config/domain.js';
import { ConfigError } from '../../config/errors.js';
import { isDuration, parseDuration } from '../../lib/deadlines/index.js';

const SHIPPED = fileURLToPath(new URL('../../config/barnaul.yaml', import.meta.url));

// A small valid file; each test breaks it in one or more known places.
const VALID = `city:
  name: Тестовск
  timezone: Asia/Barnaul
  workingHours:
    schedule:
      mon: { start: "08:00", end: "17:00" }
      fri: { start: "08:00", end: "16:00" }
    lunch: { start: "12:00", end: "12:48" }
    preHolidayShortening: 1h
blocks:
  - id: housing
    name: ЖКХ
    owner: заместитель главы администрации города по городскому хозяйству
  - id: territory-central
    name: Центральный район
    owner: глава администрации Центрального района
departments:
  - id: mcu
    name: МЦУ
    kind: mcu
  - id: housing-utilities
    name: Комитет ЖКХ
    kind: committee
    block: housing
  - id: adm-central
    name: Администрация Центрального района
    kind: district_administration
    block: territory-central
roles:
  curator: Куратор
  head: Руководитель МЦУ
  coordinator: Координатор
  block_owner: Ответственный за блок
  operator: Сотрудник МЦУ
  department_head: Руководитель органа
  official: Исполнитель
categories:
  - id: heating
    name: Отопление
    department: housing-utilities
    block: housing
    keywords: [нет отопления, холодные батареи]
  - id: other
    name: Другое
    department: mcu
    block: housing
    keywords: []
districts:
  - id: central
    name: Центральный район
    administration: adm-central
    forms:
      nominative: Центральный район
      genitive: Центрального района
      dative: Центральному району
      accusative: Центральный район
      instrumental: Центральным районом
      prepositional: Центральном районе
    settlements: [Южный]
    microdistricts: [Затон]
    streets: []
sla:
  policies:
    social:
      - priority: normal
        firstResponse: 9wh
        finalResponse: 7wd
      - priority: urgent
        firstResponse: 4wh
        finalResponse: 7wd
    pos:
      - priority: normal
        firstResponse: 1wd
        finalResponse: 8wd
    appeal_59fz:
      - priority: normal
        firstResponse: 7d
        finalResponse: 30d
        maxExtension: 30d
  reminders:
    before: [50, 80, 100]
  escalation:
    steps:
      - role: department_head
        after: 0m
      - role: block_owner
        after: 4wh
  quietHours: { start: "22:00", end: "08:00" }
intake:
  followUpWindow: 24h
`;

/** 1-based `line:col` of the nth line (1st by default) that contains `needle`. */
function positionOf(text: string, needle: string, nth = 1): string {
  const lines = text.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i] : []));
  const line = hits[nth - 1];
  if (line === undefined) throw new Error(`fixture has no ${JSON.stringify(needle)} #${nth}`);
  return `${line + 1}:${(lines[line] ?? '').indexOf(needle) + 1}`;
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

function problemsOf(text: string): readonly string[] {
  try {
    parseDomainConfig(text, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('the shipped Barnaul configuration', () => {
  const config = loadDomainConfig(SHIPPED);

  it('when loaded, then it has 20–30 categories and the five city districts', () => {
    expect(config.categories.length).toBeGreaterThanOrEqual(20);
    expect(config.categories.length).toBeLessThanOrEqual(30);
    expect(config.districts.map((d) => d.id).sort()).toEqual(
      ['central', 'industrial', 'leninsky', 'oktyabrsky', 'zheleznodorozhny'].sort(),
    );
    expect(config.city.timezone).toBe('Asia/Barnaul');
  });

  it('when loaded, then every category maps to an existing department and block', () => {
    const departments = new Set(config.departments.map((d) => d.id));
    const blocks = new Set(config.blocks.map((b) => b.id));
    for (const category of config.categories) {
      expect(departments, category.id).toContain(category.department);
      expect(blocks, category.id).toContain(category.block);
    }
  });

  it('when loaded, then each district is served by a district administration and the МЦУ is the one fallback', () => {
    for (const district of config.districts) {
      const admin = config.departments.find((d) => d.id === district.administration);
      expect(admin?.kind, district.id).toBe('district_administration');
    }
    expect(config.departments.filter((d) => d.kind === 'mcu')).toHaveLength(1);
  });

  it('when loaded, then the result is deeply frozen', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.categories[0]?.keywords)).toBe(true);
    expect(Object.isFrozen(config.sla.escalation.steps[0])).toBe(true);
  });
});

describe('parseDomainConfig', () => {
  it('when the file is valid, then it returns the parsed configuration', () => {
    const config = parseDomainConfig(VALID, 'test.yaml');
    expect(config.categories.map((c) => c.id)).toEqual(['heating', 'other']);
    expect(config.sla.policies.social[1]).toEqual({ priority: 'urgent', firstResponse: '4wh', finalResponse: '7wd' });
    expect(config.city.workingHours.schedule.sat).toBeUndefined();
  });

  it('when an object has an unknown key, then the key is reported with its line and column', () => {
    const text = replaceOnce(VALID, '    kind: committee\n', '    kind: committee\n    colour: red\n');
    expect(problemsOf(text)).toEqual([`test.yaml:${positionOf(text, 'colour')} departments[1].colour: unknown key "colour"`]);
  });

  it('when a category names an unknown department, then the reference is named with its line', () => {
    const text = replaceOnce(VALID, 'department: housing-utilities', 'department: housing-utilites');
    expect(problemsOf(text)).toEqual([
      `test.yaml:${positionOf(text, 'department: housing-utilites')} categories[0].department: unknown department "housing-utilites" (did you mean "housing-utilities"?)`,
    ]);
  });

  it('when there are several problems, then all of them are listed at once, in file order', () => {
    let text = VALID;
    text = replaceOnce(text, '  timezone: Asia/Barnaul', '  timezone: Asia/Nowhere');
    text = replaceOnce(text, '    block: territory-central\n', '    block: territory-centre\n');
    text = replaceOnce(text, '    name: Отопление\n', '');
    text = replaceOnce(text, 'block: housing\n    keywords: []', 'block: roads\n    keywords: []');
    text = replaceOnce(text, 'firstResponse: 9wh', 'firstResponse: 9 hours');
    text = replaceOnce(text, '  followUpWindow: 24h\n', '  followUpWindow: 24h\n  followUpWindw: 12h\n');

    expect(problemsOf(text)).toEqual([
      `test.yaml:${positionOf(text, 'timezone')} city.timezone: must be an IANA time zone, e.g. "Asia/Barnaul"`,
      `test.yaml:${positionOf(text, 'block: territory-centre')} departments[2].block: unknown block "territory-centre" (did you mean "territory-central"?)`,
      // A missing key is reported at the item that lacks it.
      `test.yaml:${positionOf(text, 'id: heating')} categories[0].name: missing required key`,
      `test.yaml:${positionOf(text, 'block: roads')} categories[1].block: unknown block "roads"`,
      `test.yaml:${positionOf(text, 'firstResponse: 9 hours')} sla.policies.social[0].firstResponse: must be a duration like "4wh", "8wd", "30d", "2h" or "15m"`,
      `test.yaml:${positionOf(text, 'followUpWindw')} intake.followUpWindw: unknown key "followUpWindw"`,
    ]);
  });

  it('when ids repeat or a district is served by a committee, then both are reported', () => {
    let text = replaceOnce(VALID, '  - id: other\n', '  - id: heating\n');
    text = replaceOnce(text, 'administration: adm-central', 'administration: housing-utilities');
    const problems = problemsOf(text);
    expect(problems).toContain(
      `test.yaml:${positionOf(text, 'id: heating', 2)} categories[1].id: duplicate id "heating" (first used by categories[0])`,
    );
    expect(problems).toContain(
      `test.yaml:${positionOf(text, 'administration: housing-utilities')} districts[0].administration: department "housing-utilities" is of kind "committee", expected "district_administration"`,
    );
  });

  it('when the YAML itself is broken, then the syntax error gives line and column', () => {
    const text = replaceOnce(
      VALID,
      'keywords: [нет отопления, холодные батареи]',
      'keywords: [нет отопления, "холодные батареи]',
    );
    const problems = problemsOf(text);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(/^test\.yaml:\d+:\d+ YAML syntax error: /);
  });

  it('when a key is repeated, then the duplicate is a syntax error at its line', () => {
    const text = replaceOnce(VALID, '  name: Тестовск\n', '  name: Тестовск\n  name: Барнаул\n');
    expect(problemsOf(text)).toEqual([
      `test.yaml:${positionOf(text, 'name: Барнаул')} YAML syntax error: Map keys must be unique`,
    ]);
  });

  it('when the file is empty, then the problem says so', () => {
    expect(problemsOf('')).toEqual([expect.stringMatching(/^test\.yaml:1:1 \(root\): the file is empty/)]);
  });
});

describe('loadDomainConfig', () => {
  it('when the file does not exist, then a ConfigError names it', () => {
    expect(() => loadDomainConfig('/nonexistent/barnaul.yaml')).toThrow(ConfigError);
  });
});

describe('parseDuration', () => {
  it.each([
    ['4wh', 4, 'wh'],
    ['8wd', 8, 'wd'],
    ['30d', 30, 'd'],
    ['2h', 2, 'h'],
    ['15m', 15, 'm'],
    ['0m', 0, 'm'],
  ])('when given %s, then it returns amount %i and unit %s', (s, amount, unit) => {
    expect(parseDuration(s)).toEqual({ amount, unit });
    expect(isDuration(s)).toBe(true);
  });

  it.each(['', '4', 'wh', '4 wh', ' 4h', '-1d', '1.5h', '4w', '4WH', '4hours', '99999999999999999999d'])(
    'when given %j, then it throws a RangeError that shows the accepted forms',
    (s) => {
      expect(() => parseDuration(s)).toThrow(RangeError);
      expect(() => parseDuration(s)).toThrow(/e\.g\. "4wh"/);
      expect(isDuration(s)).toBe(false);
    },
  );
});
