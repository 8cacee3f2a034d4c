import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.js';
import {
  addDuration,
  calendarCoverage,
  calendarReadiness,
  computeDeadlines,
  isoWeekOf,
  type ProductionCalendar,
  WorkingCalendar,
} from '../../lib/deadlines/index.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';

/** Barnaul on the shipped calendar (2013–2026), optionally with one more year's (empty) facts. */
function barnaul(extraYear?: number): WorkingCalendar {
  const years = new Map(PRODUCTION.years);
  if (extraYear !== undefined) years.set(extraYear, new Map());
  const productionCalendar: ProductionCalendar = { years };
  return new WorkingCalendar({ productionCalendar, workingHours: HOURS, timeZone: 'Asia/Barnaul' });
}

describe('calendarReadiness: next year from 1 October (city time)', () => {
  it('when it is 30 September and next year is missing, then all is well', () => {
    const clock = new ManualClock(local('2026-09-30 23:59'));
    expect(calendarReadiness(barnaul(), clock.now())).toEqual({ ok: true, warnings: [] });
  });

  it('when it is 1 October in Barnaul (still 30 September in UTC) and next year is missing, then it warns about it', () => {
    const clock = new ManualClock(local('2026-10-01 00:30'));
    expect(clock.now().toISOString()).toBe('2026-09-30T17:30:00.000Z');
    const readiness = calendarReadiness(barnaul(), clock.now());
    expect(readiness.ok).toBe(false);
    expect(readiness.warnings).toEqual([
      expect.stringMatching(/^the production calendar has no 2027 \(next year\): .*mcu calendar import/),
    ]);
  });

  it('when it is 1 October and next year is present, then all is well', () => {
    expect(calendarReadiness(barnaul(2027), local('2026-10-01 09:00'))).toEqual({ ok: true, warnings: [] });
  });

  it('when this year itself is missing, then it warns from 1 January, and about next year from 1 October', () => {
    expect(calendarReadiness(barnaul(), local('2027-01-10 09:00')).warnings).toEqual([
      expect.stringMatching(/^the production calendar has no 2027 \(this year\)/),
    ]);
    expect(calendarCoverage(barnaul(), local('2027-12-01 09:00'))).toMatchObject({
      today: '2027-12-01',
      thisYear: 2027,
      nextYear: 2028,
      nextYearDue: true,
      missing: [2027, 2028],
    });
  });
});

describe('isoWeekOf', () => {
  it('when a date is given, then its ISO week is the week of its Thursday', () => {
    expect(isoWeekOf('2026-10-01')).toBe('2026-W40'); // a Thursday
    expect(isoWeekOf('2026-10-04')).toBe('2026-W40'); // its Sunday
    expect(isoWeekOf('2026-10-05')).toBe('2026-W41'); // the next Monday
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53'); // a Friday in 2026's last week
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01'); // a Monday in 2025's first week
  });
});

describe('provisional deadlines: computed on the art. 112 fallback', () => {
  const terms = { firstResponse: '9wh', finalResponse: '7wd', maxExtension: '30d' };

  it('when a deadline crosses into a year the calendar lacks, then it is provisional', () => {
    const d = computeDeadlines(barnaul(), terms, local('2026-12-25 10:00'));
    expect(d.finalResponseAt).toEqual(local('2027-01-14 17:00')); // 28–30 Dec, then 11–14 Jan on art. 112
    expect(d.provisional).toBe(true);
  });

  it('when the same deadline is computed with that year known, then it is not provisional', () => {
    expect(computeDeadlines(barnaul(2027), terms, local('2026-12-25 10:00')).provisional).toBe(false);
  });

  it('when a deadline stays inside known years, then it is not provisional, even if the extension limit reaches further', () => {
    const d = computeDeadlines(barnaul(), { ...terms, finalResponse: '2wd' }, local('2026-12-24 10:00'));
    expect(d.finalResponseAt).toEqual(local('2026-12-28 17:00'));
    expect(d.latestFinalResponseAt?.getFullYear()).toBe(2027);
    expect(d.provisional).toBe(false);
  });

  it('when a computation is tracked inside another, then the outer one sees what the inner read', () => {
    const calendar = barnaul();
    const outer = calendar.track(() => {
      const inner = calendar.track(() => addDuration(calendar, local('2026-12-30 10:00'), '3wd'));
      const known = calendar.track(() => addDuration(calendar, local('2026-06-01 10:00'), '3wd'));
      return [inner.provisional, known.provisional];
    });
    expect(outer).toEqual({ value: [true, false], provisional: true });
  });
});
