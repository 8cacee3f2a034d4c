import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { type CalendarDayType, WorkingCalendar, type WorkingHours } from '../../lib/deadlines/index.js';
import { HOURS, PRODUCTION } from '../helpers/barnaul-calendar.js';

function barnaul(hours: WorkingHours = HOURS, onUnknownYear?: (year: number) => void): WorkingCalendar {
  return new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: hours, timeZone: 'Asia/Barnaul', onUnknownYear });
}

/** A day's intervals as local "HH:MM–HH:MM" (UTC+7, Barnaul's offset since 27 March 2016). */
function hours(calendar: WorkingCalendar, date: string): string[] {
  const clock = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(11, 16);
  return calendar.workingIntervals(date).map((i) => `${clock(i.start)}–${clock(i.end)}`);
}

describe('WorkingCalendar: ordinary weeks', () => {
  const calendar = barnaul();

  it('works Monday to Thursday 08:00–17:00 without the lunch break', () => {
    expect(calendar.day('2025-03-03').kind).toBe('working'); // an ordinary Monday
    expect(hours(calendar, '2025-03-03')).toEqual(['08:00–12:00', '12:48–17:00']);
  });

  it("takes Friday's shorter hours from the schedule", () => {
    expect(hours(calendar, '2025-03-14')).toEqual(['08:00–12:00', '12:48–16:00']); // an ordinary Friday
  });

  it('rests on an ordinary weekend', () => {
    expect(calendar.isWorkingDay('2025-03-15')).toBe(false); // Saturday
    expect(calendar.day('2025-03-16')).toEqual({ date: '2025-03-16', kind: 'off', source: 'calendar', intervals: [] }); // Sunday
  });

  it('converts local hours through the zone: 08:00 in Barnaul is 01:00 UTC', () => {
    expect(new Date(calendar.workingIntervals('2025-03-03')[0]?.start ?? 0).toISOString()).toBe('2025-03-03T01:00:00.000Z');
  });

  it('uses the zone history from Intl: Barnaul was UTC+6 in 2015, so 08:00 was 02:00 UTC', () => {
    expect(new Date(calendar.workingIntervals('2015-06-01')[0]?.start ?? 0).toISOString()).toBe('2015-06-01T02:00:00.000Z');
  });

  it('tells the local date of an instant: 18:30 UTC on Sunday is already 01:30 on Monday in Barnaul', () => {
    expect(calendar.localDateOf(new Date('2025-03-02T18:30:00Z'))).toBe('2025-03-03');
  });
});

describe('WorkingCalendar: the production calendar', () => {
  const calendar = barnaul();

  it('rests on public holidays, even on a weekday', () => {
    expect(calendar.isWorkingDay('2025-05-01')).toBe(false); // Thursday, Праздник Весны и Труда
    expect(calendar.isWorkingDay('2026-01-09')).toBe(false); // Friday, moved from Saturday 3 January
  });

  it('rests on a transferred day off', () => {
    expect(calendar.isWorkingDay('2024-04-29')).toBe(false); // Monday, worked on Saturday 27 April instead
    expect(calendar.isWorkingDay('2025-12-31')).toBe(false); // Wednesday, moved from Sunday 5 January
  });

  it("works a transferred Saturday with Monday's hours", () => {
    expect(calendar.day('2024-12-28').kind).toBe('working'); // worked for Monday 30 December
    expect(hours(calendar, '2024-12-28')).toEqual(['08:00–12:00', '12:48–17:00']);
    expect(hours(calendar, '2024-04-27')).toEqual(['08:00–12:00', '12:48–17:00']); // worked for Monday 29 April
  });

  it('ends a pre-holiday day an hour early, after Friday’s own shorter hours', () => {
    expect(calendar.day('2025-03-07').kind).toBe('short'); // Friday before 8 March
    expect(hours(calendar, '2025-03-07')).toEqual(['08:00–12:00', '12:48–15:00']); // 16:00 − 1 h
    expect(hours(calendar, '2025-04-30')).toEqual(['08:00–12:00', '12:48–16:00']); // Wednesday before 1 May: 17:00 − 1 h
  });

  it('works a Saturday the calendar marks short, shortened (2024-11-02, before 4 November)', () => {
    expect(calendar.day('2024-11-02').kind).toBe('short');
    expect(hours(calendar, '2024-11-02')).toEqual(['08:00–12:00', '12:48–16:00']);
  });

  it('shortens by the configured amount, 1 h when none is configured', () => {
    expect(hours(barnaul({ ...HOURS, preHolidayShortening: '30m' }), '2025-03-07')).toEqual(['08:00–12:00', '12:48–15:30']);
    expect(hours(barnaul({ ...HOURS, preHolidayShortening: undefined }), '2025-03-07')).toEqual(['08:00–12:00', '12:48–15:00']);
  });

  it('does not count a shortened hour twice when the day would end inside lunch', () => {
    const morning = { ...HOURS, schedule: { ...HOURS.schedule, fri: { start: '08:00', end: '13:00' } } };
    expect(hours(barnaul(morning), '2025-03-07')).toEqual(['08:00–12:00']); // 13:00 − 1 h = 12:00, lunch start
  });

  it('without a lunch key works the whole day in one piece', () => {
    expect(hours(barnaul({ ...HOURS, lunch: undefined }), '2025-03-03')).toEqual(['08:00–17:00']);
  });

  it('finds the next working day and the end of a working day', () => {
    expect(calendar.nextWorkingDay('2025-12-30')).toBe('2026-01-12'); // 31 Dec off, 1–9 Jan off, 10–11 Jan weekend
    expect(calendar.endOfWorkingDay('2025-03-07').toISOString()).toBe('2025-03-07T08:00:00.000Z'); // 15:00 local
    expect(() => calendar.endOfWorkingDay('2025-03-08')).toThrow(/not a working day/);
  });
});

describe('WorkingCalendar: a year the calendar does not know', () => {
  it('falls back to the holidays of Labour Code art. 112 and reports the year once', () => {
    const onUnknownYear = vi.fn();
    const calendar = barnaul(HOURS, onUnknownYear);
    expect(calendar.isWorkingDay('2027-01-07')).toBe(false); // Christmas
    expect(calendar.isWorkingDay('2027-01-08')).toBe(false); // last New Year holiday
    expect(calendar.isWorkingDay('2027-01-11')).toBe(true); // Monday after the holidays
    expect(calendar.isWorkingDay('2027-02-23')).toBe(false); // Tuesday, Defender of the Fatherland Day
    expect(calendar.day('2027-02-23').source).toBe('labour-code');
    expect(onUnknownYear.mock.calls).toEqual([[2027]]); // once, however many days were asked
    expect(calendar.isWorkingDay('2030-06-12')).toBe(false); // Wednesday, Russia Day
    expect(onUnknownYear.mock.calls).toEqual([[2027], [2030]]);
  });

  it('applies no transfers and no short days there', () => {
    const calendar = barnaul();
    expect(calendar.isWorkingDay('2027-05-10')).toBe(true); // 9 May 2027 is a Sunday; no decree moves it
    expect(calendar.day('2027-02-22').kind).toBe('working'); // the day before 23 February stays full
    expect(calendar.isWorkingDay('2027-01-09')).toBe(false); // Saturday, weekends as usual
  });

  it('does not call the callback for years the calendar lists', () => {
    const onUnknownYear = vi.fn();
    const calendar = barnaul(HOURS, onUnknownYear);
    calendar.day('2013-01-09');
    calendar.day('2026-12-31');
    expect(onUnknownYear).not.toHaveBeenCalled();
  });

  it('gives up with a clear error when no working day is found for a year', () => {
    // A calendar whose every Monday of 2025 and 2026 is a day off, for a city that works only Mondays.
    const mondays = new Map<string, CalendarDayType>();
    for (let d = Date.UTC(2025, 0, 6); d < Date.UTC(2027, 0, 1); d += 7 * 86_400_000) {
      mondays.set(new Date(d).toISOString().slice(0, 10), 'day_off');
    }
    const years = new Map([
      [2025, mondays],
      [2026, mondays],
    ]);
    const calendar = new WorkingCalendar({
      productionCalendar: { years },
      workingHours: { schedule: { mon: { start: '08:00', end: '17:00' } } },
      timeZone: 'Asia/Barnaul',
    });
    expect(() => calendar.nextWorkingDay('2025-01-01')).toThrow(/no working time within 366 days after 2025-01-01/);
  });
});

describe('WorkingCalendar.forCity', () => {
  it('reads the time zone and working hours of the shipped domain file', () => {
    const domain = loadDomainConfig(fileURLToPath(new URL('../../config/barnaul.yaml', import.meta.url)));
    const calendar = WorkingCalendar.forCity(domain.city, PRODUCTION);
    expect(calendar.zone.name).toBe('Asia/Barnaul');
    expect(calendar.isWorkingDay('2025-03-03')).toBe(true);
  });

  it('refuses a time zone Intl does not know', () => {
    expect(() => barnaulIn('Mars/Olympus')).toThrow(RangeError);
  });
});

function barnaulIn(timeZone: string): WorkingCalendar {
  return new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone });
}
