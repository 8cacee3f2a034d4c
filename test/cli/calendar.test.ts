import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProductionCalendar, productionCalendarFiles } from '../../config/calendar.js';
import { loadDomainConfig } from '../../config/domain.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedCase } from '../helpers/rows.js';

const XML_2027 = 'test/fixtures/calendar/2027.xml';
const YAML_2027 = 'test/fixtures/calendar/2027.yaml';

/**
 * `mcu calendar import` and `mcu calendar list` as an operator runs them: the published 2027 XML goes
 * into DATA_DIR/production-calendar.json, which the app then reads after the shipped file; bad files are
 * refused with the reason and leave the file as it was.
 */
// Each run starts the tool through tsx (2–3 s on a busy machine): room for the tests with several runs.
describe('mcu calendar', { timeout: 90_000 }, () => {
  let testDb: TestDatabase;
  let dir: string;
  let dataDir: string;
  beforeAll(async () => {
    testDb = await createTestDatabase('cli_calendar', { migrate: true });
    dir = mkdtempSync(join(tmpdir(), 'mcu-calendar-cli-'));
    dataDir = join(dir, 'data');
    await seedCase(testDb.handle.db, { deadline_provisional: true, status: 'in_progress' });
  });
  afterAll(async () => {
    await testDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const mcu = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/mcu.js', 'calendar', ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDb.url, DATA_DIR: dataDir },
      encoding: 'utf8',
    });
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const target = () => join(dataDir, 'production-calendar.json');

  it('when next year is missing on 1 October, then list warns; the day before it does not', () => {
    // The shipped files hold 2013–2026 and 2027: next year (2028) is missing from 1 October 2027.
    const before = mcu('list', '--at', '2027-09-30');
    expect(before.status).toBe(0);
    expect(before.stdout).toContain('  2013–2026\tconfig/production-calendar.json');
    expect(before.stdout).toContain('  2027\tconfig/production-calendar-2027.json');
    expect(before.stdout).not.toContain('warning');
    const after = mcu('list', '--at', '2027-10-01');
    expect(after.stdout).toMatch(/^warning: the production calendar has no 2028 \(next year\)/m);
  });

  it('when a dry run is asked, then the year is checked and nothing is written', () => {
    const result = mcu('import', '--input', XML_2027, '--dry-run', '--offline');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // The shipped 2027 is there already: an operator's import would replace it (in DATA_DIR, read last).
    expect(result.stdout).toContain(`dry run, nothing written: would replace 2027 in ${target()}`);
    expect(existsSync(target())).toBe(false);
  });

  it('when the published 2027 XML is imported, then DATA_DIR holds it, the app reads it, and the open provisional cases are counted', () => {
    const result = mcu('import', '--input', XML_2027);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      `replaced 2027 in ${target()}`,
      '  from: XML (open-data XML of 2026.09.02)',
      '  days off: 20, short days: 4, worked weekend days: 0; working days (five-day week): 247',
      `  replaces the year from ${resolve('config/production-calendar-2027.json')}: 0 date(s) differ`,
      'Restart every instance of the app to use it (the calendar is read at start).',
      'open cases with a provisional deadline (counted on the Labour Code fallback): 1 — their deadlines stay as set; see docs/operations/production-calendar.md',
      '',
    ]);
    // The app's own loading: the shipped file, then DATA_DIR's.
    const files = productionCalendarFiles(
      { domainConfigPath: 'config/barnaul.yaml', dataDir },
      loadDomainConfig('config/barnaul.yaml'),
    );
    expect(files.at(-1)).toBe(target());
    const y2027 = loadProductionCalendar(files).years.get(2027);
    expect(y2027?.get('2027-02-22')).toBe('day_off');
    expect(y2027?.get('2027-02-20')).toBe('short_working_day');
    expect(y2027?.size).toBe(24);

    const list = mcu('list', '--at', '2026-10-01');
    expect(list.stdout).toContain(`  2027\t${target()}`);
    expect(list.stdout).not.toContain('warning');
  });

  it('when the same year comes again as YAML, then it replaces the year and says nothing differs', () => {
    const result = mcu('import', '--input', YAML_2027, '--offline');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`replaced 2027 in ${target()}`);
    expect(result.stdout).toContain(`  replaces the year from ${target()}: 0 date(s) differ`);
  });

  it('when a file has a DOCTYPE, an unknown t or a date of another year, then it is refused and nothing changes', () => {
    const written = readFileSync(target(), 'utf8');
    const doctype = mcu(
      'import',
      '--input',
      file('evil.xml', '<!DOCTYPE x [<!ENTITY a "b">]><calendar year="2028"/>'),
      '--offline',
    );
    expect(doctype.status).toBe(1);
    expect(doctype.stderr).toContain('a DOCTYPE is not allowed');
    const unknownType = mcu(
      'import',
      '--input',
      file('t4.xml', '<calendar year="2028"><days><day d="01.01" t="4"/></days></calendar>'),
    );
    expect(unknownType.status).toBe(1);
    expect(unknownType.stderr).toContain('unknown t="4"');
    const otherYear = mcu('import', '--input', file('y.yaml', 'year: 2028\nday_off: [2027-12-31]\n'), '--offline');
    expect(otherYear.status).toBe(1);
    expect(otherYear.stderr).toContain('2027-12-31 is not in year 2028');
    expect(mcu('import', '--offline').status).toBe(2); // no --input
    expect(readFileSync(target(), 'utf8')).toBe(written);
  });

  it('when a year looks implausible, then it is written only with --force', () => {
    const sparse = file('sparse.yaml', 'year: 2028\nday_off: [2028-01-01]\n');
    const refused = mcu('import', '--input', sparse, '--offline');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('2028 was not written; it does not look like a production calendar year');
    expect(refused.stderr).toContain('run again with --force');
    expect(loadProductionCalendar([target()]).years.has(2028)).toBe(false);
    const forced = mcu('import', '--input', sparse, '--force', '--offline');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain('forced despite:');
    expect(loadProductionCalendar([target()]).years.has(2028)).toBe(true);
  });

  it('when --output names a file the app does not read, then it is written and the operator is told', () => {
    const output = join(dir, 'elsewhere.json');
    const result = mcu('import', '--input', XML_2027, '--output', output, '--offline');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`the app does not read ${output}`);
    expect(loadProductionCalendar([output]).years.get(2027)?.size).toBe(24);
  });
});
