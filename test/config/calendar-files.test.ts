import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { productionCalendarFiles, productionCalendarSources } from '../../config/calendar.js';

const dir = mkdtempSync(join(tmpdir(), 'mcu-calendar-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the calendar files the app reads', () => {
  const config = { domainConfigPath: join(dir, 'city.yaml'), dataDir: join(dir, 'data') };
  const shipped = join(dir, 'production-calendar.json');
  const shipped2027 = join(dir, 'production-calendar-2027.json');
  copyFileSync('config/production-calendar.json', shipped);
  copyFileSync('config/production-calendar-2027.json', shipped2027);

  it('when DATA_DIR has no calendar, then only the domain file’s list (default the shipped files) is read', () => {
    const files = productionCalendarFiles(config, { city: {} });
    expect(files).toEqual([resolve(shipped), resolve(shipped2027)]);
    // 2013–2026 from the open data, 2027 as `mcu calendar import` wrote it from the published XML.
    const sources = productionCalendarSources(files);
    expect(sources.get(2026)).toBe(resolve(shipped));
    expect(sources.get(2027)).toBe(resolve(shipped2027));
  });

  it('when DATA_DIR has one, then it is read last and its years win', () => {
    const operator = join(dir, 'data', 'production-calendar.json');
    const own = join(dir, 'own.json');
    rmSync(join(dir, 'data'), { recursive: true, force: true });
    writeFileSync(own, JSON.stringify({ years: { '2026': { day_off: ['2026-01-01'] } } }));
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(
      operator,
      JSON.stringify({ years: { '2026': { day_off: ['2026-01-02'] }, '2027': { day_off: ['2027-01-01'] } } }),
    );
    const files = productionCalendarFiles(config, { city: { productionCalendars: ['production-calendar.json', 'own.json'] } });
    expect(files).toEqual([resolve(shipped), resolve(own), resolve(operator)]);
    const sources = productionCalendarSources(files);
    expect(sources.get(2025)).toBe(resolve(shipped));
    expect(sources.get(2026)).toBe(resolve(operator));
    expect([...sources.keys()].at(-1)).toBe(2027);
  });
});
