import { describe, expect, it } from 'vitest';
import { addDuration, extendForPause, pointAt, WorkingCalendar, workingTimeBetween } from '../../lib/deadlines/index.js';
import { HOURS, local, PRODUCTION } from '../helpers/barnaul-calendar.js';

const calendar = new WorkingCalendar({ productionCalendar: PRODUCTION, workingHours: HOURS, timeZone: 'Asia/Barnaul' });

const between = (a: string, b: string): number => workingTimeBetween(calendar, local(a), local(b));

describe('workingTimeBetween (minutes)', () => {
  it('a full Monday is 8 h 12 min', () => {
    expect(between('2025-03-03 08:00', '2025-03-03 17:00')).toBe(492); // 9 h − 48 min lunch
  });

  it('an ordinary week is the 40 hours the schedule promises', () => {
    expect(between('2025-03-17 00:00', '2025-03-24 00:00')).toBe(2400); // 4 × 492 + 432
  });

  it('a week with a short pre-holiday Friday loses that hour', () => {
    expect(between('2025-03-03 00:00', '2025-03-10 00:00')).toBe(2340); // 4 × 492 + (432 − 60)
  });

  it('counts nothing over a weekend or the New Year holidays', () => {
    expect(between('2025-03-14 15:00', '2025-03-17 09:00')).toBe(120); // Fri 15–16, Mon 08–09
    expect(between('2025-12-30 08:00', '2026-01-12 08:00')).toBe(492); // only Tue 30 Dec
  });

  it('is negative backwards and zero for an empty span', () => {
    expect(between('2025-03-17 09:00', '2025-03-14 15:00')).toBe(-120);
    expect(between('2025-03-03 10:00', '2025-03-03 10:00')).toBe(0);
  });
});

describe('pointAt: reminders at 50 % and 80 % of the time', () => {
  it('splits a working-hours deadline by working time', () => {
    const start = local('2025-03-03 09:00');
    const deadline = addDuration(calendar, start, '9wh');
    expect(deadline).toEqual(local('2025-03-04 09:48')); // Mon 09–12 (3 h) + 12:48–17 (4 h 12) + Tue 08:00 + 1 h 48
    expect(pointAt(calendar, start, deadline, 0.5, 'working')).toEqual(local('2025-03-03 14:18')); // 270 min: 180 before lunch + 90 from 12:48
    expect(pointAt(calendar, start, deadline, 0.8, 'working')).toEqual(local('2025-03-03 17:00')); // 432 min = all of Monday's rest
  });

  it('puts no reminder inside the New Year holidays', () => {
    const start = local('2025-12-30 17:30');
    const deadline = local('2026-01-12 12:00'); // 4wh, see deadline.test.ts
    expect(pointAt(calendar, start, deadline, 0.5, 'working')).toEqual(local('2026-01-12 10:00')); // 120 of 240 min
    expect(pointAt(calendar, start, deadline, 0.8, 'working')).toEqual(local('2026-01-12 11:12')); // 192 of 240 min
  });

  it('splits a working-days deadline by working time too', () => {
    const start = local('2025-04-28 09:00');
    const deadline = local('2025-05-14 17:00'); // 8wd, see deadline.test.ts
    // total 4308 min: 28 Apr 432, 29 Apr 492, 30 Apr short 432, 5–7 May 3 × 492, 12–14 May 3 × 492.
    // Half, 2154: after 28–30 Apr and 5 May (1848) 306 remain on 6 May: 08–12 (240), then 12:48 + 66 min.
    expect(workingTimeBetween(calendar, start, deadline)).toBe(4308);
    expect(pointAt(calendar, start, deadline, 0.5, 'working')).toEqual(local('2025-05-06 13:54'));
  });

  it('splits calendar-day and clock deadlines by wall-clock time', () => {
    const start = local('2025-03-10 10:00');
    const deadline = local('2025-04-09 10:00'); // 30d
    expect(pointAt(calendar, start, deadline, 0.5, 'calendar-days')).toEqual(local('2025-03-25 10:00')); // 15 days
    expect(pointAt(calendar, start, deadline, 0.8, 'calendar-days')).toEqual(local('2025-04-03 10:00')); // 24 days
    expect(pointAt(calendar, local('2025-03-15 10:00'), local('2025-03-15 12:00'), 0.5, 'calendar')).toEqual(
      local('2025-03-15 11:00'), // a 2h drill on a Saturday: half is one hour
    );
  });

  it('returns the ends for 0 and 1 and uses wall-clock time when the span holds no working time', () => {
    const start = local('2025-03-15 10:00'); // Saturday
    const deadline = local('2025-03-16 10:00'); // Sunday
    expect(pointAt(calendar, start, deadline, 0, 'working')).toEqual(start);
    expect(pointAt(calendar, start, deadline, 1, 'working')).toEqual(deadline);
    expect(pointAt(calendar, start, deadline, 0.5, 'working')).toEqual(local('2025-03-15 22:00'));
  });

  it('refuses a fraction outside 0…1', () => {
    expect(() => pointAt(calendar, local('2025-03-03 09:00'), local('2025-03-04 09:00'), 1.5, 'working')).toThrow(RangeError);
    expect(() => pointAt(calendar, local('2025-03-03 09:00'), local('2025-03-04 09:00'), Number.NaN, 'working')).toThrow(
      RangeError,
    );
  });
});

describe('extendForPause: the deadline moves by the time the case waited for the citizen', () => {
  it('working time: by the working minutes of the pause', () => {
    // pause Fri 14 Mar 15:00 → Mon 17 Mar 10:00 = 60 + 120 min; Tue 18 Mar 11:00 + 180 = 11–12 (60) and 12:48 + 120
    const moved = extendForPause(
      calendar,
      local('2025-03-18 11:00'),
      local('2025-03-14 15:00'),
      local('2025-03-17 10:00'),
      'working',
    );
    expect(moved).toEqual(local('2025-03-18 14:48'));
  });

  it('working time: a pause over a weekend moves nothing', () => {
    const deadline = local('2025-03-18 11:00');
    expect(extendForPause(calendar, deadline, local('2025-03-15 10:00'), local('2025-03-16 20:00'), 'working')).toEqual(deadline);
  });

  it('working time: a pause of one whole working day moves an end-of-day deadline by one working day', () => {
    // pause Mon 10 Mar 08:00 → Tue 11 Mar 08:00 = 492 min; deadline Fri 14 Mar 16:00 → all of Mon 17 Mar
    const moved = extendForPause(
      calendar,
      local('2025-03-14 16:00'),
      local('2025-03-10 08:00'),
      local('2025-03-11 08:00'),
      'working',
    );
    expect(moved).toEqual(local('2025-03-17 17:00'));
  });

  it('working time: across the New Year holidays only the working minutes count', () => {
    // pause 30 Dec 2025 16:00 → 12 Jan 2026 09:00 = 60 + 60 min; Tue 13 Jan 16:00 + 120 = 16–17, then Wed 08:00 + 60
    const moved = extendForPause(
      calendar,
      local('2026-01-13 16:00'),
      local('2025-12-30 16:00'),
      local('2026-01-12 09:00'),
      'working',
    );
    expect(moved).toEqual(local('2026-01-14 09:00'));
  });

  it('calendar days: by the clock, then off a day off to the next working day’s end', () => {
    const deadline = local('2025-04-09 10:00'); // 30d from Mon 10 Mar
    // 4 days' pause → Sun 13 Apr 10:00 → Mon 14 Apr 17:00
    expect(extendForPause(calendar, deadline, local('2025-03-20 10:00'), local('2025-03-24 10:00'), 'calendar-days')).toEqual(
      local('2025-04-14 17:00'),
    );
    // 2 days' pause → Fri 11 Apr 10:00, a working day
    expect(extendForPause(calendar, deadline, local('2025-03-20 10:00'), local('2025-03-22 10:00'), 'calendar-days')).toEqual(
      local('2025-04-11 10:00'),
    );
  });

  it('clock time (drills): by the clock, weekends included', () => {
    const moved = extendForPause(
      calendar,
      local('2025-03-15 12:00'),
      local('2025-03-15 10:00'),
      local('2025-03-15 10:30'),
      'calendar',
    );
    expect(moved).toEqual(local('2025-03-15 12:30'));
  });

  it('refuses a pause that ends before it starts', () => {
    expect(() =>
      extendForPause(calendar, local('2025-03-18 11:00'), local('2025-03-17 10:00'), local('2025-03-14 15:00'), 'working'),
    ).toThrow(/before pausedFrom/);
  });
});
