import { describe, expect, it, vi } from 'vitest';
import { addDuration, clockModeOf, nextWorkingMoment, WorkingCalendar } from '../../lib/deadlines/index.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';

function barnaul(onUnknownYear?: (year: number) => void): WorkingCalendar {
  return new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul', onUnknownYear });
}

const calendar = barnaul();
const due = (start: string, duration: string): Date => addDuration(calendar, local(start), duration);

describe('working hours (wh)', () => {
  it('skips the lunch break', () => {
    expect(due('2025-03-03 11:00', '2wh')).toEqual(local('2025-03-03 13:48')); // 11:00–12:00, then 12:48 + 1 h
  });

  it('a start during lunch begins when lunch ends', () => {
    expect(due('2025-03-03 12:10', '1wh')).toEqual(local('2025-03-03 13:48')); // from 12:48
  });

  it('a start before work begins at 08:00', () => {
    expect(due('2025-03-03 06:00', '1wh')).toEqual(local('2025-03-03 09:00'));
  });

  it('ends at 17:00 when the time runs out exactly at closing, not the next morning', () => {
    expect(due('2025-03-03 13:00', '4wh')).toEqual(local('2025-03-03 17:00')); // 13:00–17:00 is 4 h
  });

  it('crosses a weekend', () => {
    expect(due('2025-03-14 15:00', '2wh')).toEqual(local('2025-03-17 09:00')); // Fri 15–16, Sat/Sun off, Mon 08–09
  });

  it('crosses the New Year holidays: 30 Dec 17:30 + 4wh → 12 Jan', () => {
    // after closing; 31 Dec moved off, 1–8 Jan holidays, 9 Jan moved off, 10–11 weekend; Mon 08:00 + 4 h = 12:00
    expect(due('2025-12-30 17:30', '4wh')).toEqual(local('2026-01-12 12:00'));
    expect(due('2025-12-30 16:00', '4wh')).toEqual(local('2026-01-12 11:00')); // 16–17 on 30 Dec, then 3 h on 12 Jan
  });

  it('crosses a year from a worked Saturday', () => {
    // Sat 28 Dec 2024 (worked) 16–17; 29 Sun, 30–31 moved off, 1–8 Jan holidays; Thu 9 Jan 08:00 + 2 h
    expect(due('2024-12-28 16:00', '3wh')).toEqual(local('2025-01-09 10:00'));
  });

  it('works a transferred Saturday', () => {
    expect(due('2024-12-27 15:00', '4wh')).toEqual(local('2024-12-28 11:00')); // Fri 15–16 (1 h), Sat 08:00 + 3 h
  });

  it('skips transferred days off', () => {
    // 10 h = 600 min: Fri 26 Apr 2024 15–16 (60, 540 left); Sat 27 worked in full (492, 48 left); Sun 28,
    // Mon 29 and Tue 30 (moved off) and Wed 1 May rest; Thu 2 May 08:00 + 48 min
    expect(due('2024-04-26 15:00', '10wh')).toEqual(local('2024-05-02 08:48'));
  });

  it('ends a short pre-holiday day an hour early', () => {
    // Fri 7 Mar 2025 closes at 15:00 instead of 16:00: 13–15 (2 h); 8 Mar holiday, 9 Sunday; Mon 08:00 + 1 h
    expect(due('2025-03-07 13:00', '3wh')).toEqual(local('2025-03-10 09:00'));
  });

  it('falls back to art. 112 in an unknown year and reports it once', () => {
    const onUnknownYear = vi.fn();
    const fallback = barnaul(onUnknownYear);
    // Wed 30 Dec 2026 16–17 (1 h); 31 Dec moved off (2026 decree); 1–8 Jan 2027 art. 112; 9–10 weekend; Mon 11 Jan 08:00 + 3 h
    expect(addDuration(fallback, local('2026-12-30 16:00'), '4wh')).toEqual(local('2027-01-11 11:00'));
    expect(addDuration(fallback, local('2027-01-11 09:00'), '1wh')).toEqual(local('2027-01-11 10:00'));
    expect(onUnknownYear.mock.calls).toEqual([[2027]]);
  });
});

describe('working days (wd): the end of the N-th working day after the start day', () => {
  it('1wd from Monday morning is Tuesday at closing', () => {
    expect(due('2025-03-03 10:00', '1wd')).toEqual(local('2025-03-04 17:00'));
    expect(due('2025-03-03 07:00', '1wd')).toEqual(local('2025-03-04 17:00')); // the start day never counts
  });

  it('ends at the short day’s own closing time', () => {
    expect(due('2025-03-06 10:00', '1wd')).toEqual(local('2025-03-07 15:00')); // Fri 7 Mar: 16:00 − 1 h
    expect(due('2025-03-06 10:00', '2wd')).toEqual(local('2025-03-10 17:00')); // 7 Mar, then Mon 10 (8–9 off)
  });

  it('from a weekend or after hours counts from the next working day', () => {
    expect(due('2025-03-15 10:00', '1wd')).toEqual(local('2025-03-17 17:00')); // Saturday → Monday
    expect(due('2025-03-14 18:00', '1wd')).toEqual(local('2025-03-17 17:00')); // Friday evening → Monday
  });

  it('a ПОС 8wd term across the May holidays', () => {
    // from Mon 28 Apr 2025: 29 (1), 30 short (2), 1–4 May off, 5 (3), 6 (4), 7 (5), 8–11 off, 12 (6), 13 (7), 14 (8)
    expect(due('2025-04-28 09:00', '8wd')).toEqual(local('2025-05-14 17:00'));
  });

  it('crosses a year', () => {
    // from Mon 29 Dec 2025: 30 Dec (1), 31 Dec – 11 Jan off, Mon 12 Jan (2)
    expect(due('2025-12-29 10:00', '2wd')).toEqual(local('2026-01-12 17:00'));
  });

  it('counts a worked Saturday as a working day', () => {
    expect(due('2024-12-26 10:00', '2wd')).toEqual(local('2024-12-28 17:00')); // Fri 27 (1), Sat 28 worked (2)
  });

  it('in an unknown year counts art. 112 holidays out', () => {
    // Wed 8 May 2030 → Thu 9 May is a holiday → Fri 10 May (1), closing at Friday's 16:00
    expect(due('2030-05-08 10:00', '1wd')).toEqual(local('2030-05-10 16:00'));
  });
});

describe('calendar days (d): same time N days later, moved off a day off to the next working day’s end', () => {
  it('lands on a working day unchanged', () => {
    expect(due('2025-03-10 10:00', '30d')).toEqual(local('2025-04-09 10:00')); // Mon 10 Mar + 30 = Wed 9 Apr
  });

  it('landing on a Sunday moves to Monday at closing', () => {
    expect(due('2025-03-14 10:00', '30d')).toEqual(local('2025-04-14 17:00')); // Fri 14 Mar + 30 = Sun 13 Apr
  });

  it('landing in the New Year holidays moves past them', () => {
    expect(due('2025-12-26 11:00', '7d')).toEqual(local('2026-01-12 17:00')); // Fri 2 Jan 2026 is a holiday
  });

  it('landing on a worked Saturday stays', () => {
    expect(due('2024-12-21 10:00', '7d')).toEqual(local('2024-12-28 10:00'));
  });

  it('keeps a time after hours on a working day as it is', () => {
    expect(due('2025-03-10 23:30', '30d')).toEqual(local('2025-04-09 23:30'));
  });

  it('keeps the local time when the zone’s offset changes (Barnaul went from UTC+6 to UTC+7 on 27 Mar 2016)', () => {
    const start = new Date('2016-03-21T10:00:00+06:00');
    expect(addDuration(calendar, start, '7d')).toEqual(new Date('2016-03-28T10:00:00+07:00')); // 6 days 23 h later
  });
});

describe('plain clock time (h, m) for drills', () => {
  it('counts nights and holidays', () => {
    expect(due('2025-01-01 03:00', '15m')).toEqual(local('2025-01-01 03:15'));
    expect(due('2025-01-01 03:00', '2h')).toEqual(local('2025-01-01 05:00'));
  });
});

describe('edge cases', () => {
  it('zero of anything is the start itself', () => {
    expect(due('2025-03-15 10:00', '0wh')).toEqual(local('2025-03-15 10:00')); // Saturday, not moved
    expect(due('2025-03-15 10:00', '0d')).toEqual(local('2025-03-15 10:00'));
  });

  it('refuses a malformed duration or date', () => {
    expect(() => due('2025-03-03 10:00', '4 wh')).toThrow(RangeError);
    expect(() => addDuration(calendar, new Date('nonsense'), '4wh')).toThrow(/start is an invalid Date/);
  });

  it('names the clock of each unit', () => {
    expect(['4wh', '8wd', '30d', '2h', '15m'].map(clockModeOf)).toEqual([
      'working',
      'working',
      'calendar-days',
      'calendar',
      'calendar',
    ]);
  });
});

describe('nextWorkingMoment', () => {
  it('is the moment itself during working time and the next opening otherwise', () => {
    expect(nextWorkingMoment(calendar, local('2025-03-03 10:00'))).toEqual(local('2025-03-03 10:00'));
    expect(nextWorkingMoment(calendar, local('2025-03-03 12:30'))).toEqual(local('2025-03-03 12:48')); // lunch
    expect(nextWorkingMoment(calendar, local('2025-03-03 17:00'))).toEqual(local('2025-03-04 08:00')); // closing
    expect(nextWorkingMoment(calendar, local('2025-03-15 12:00'))).toEqual(local('2025-03-17 08:00')); // Saturday
  });
});
