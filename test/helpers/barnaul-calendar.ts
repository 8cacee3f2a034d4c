import { fileURLToPath } from 'node:url';
import { DEFAULT_CALENDARS, loadProductionCalendar } from '../../config/calendar.js';
import type { WorkingHours } from '../../lib/deadlines/index.js';

/** The committed production calendar (2013–2026): the tests of the Labour Code fallback need 2027 unknown. */
export const PRODUCTION = loadProductionCalendar([
  fileURLToPath(new URL('../../config/production-calendar.json', import.meta.url)),
]);

/** What the app reads by default: 2013–2026 and the shipped 2027 (config/calendar.ts DEFAULT_CALENDARS). */
export const SHIPPED = loadProductionCalendar(
  DEFAULT_CALENDARS.map((f) => fileURLToPath(new URL(`../../config/${f}`, import.meta.url))),
);

/**
 * Barnaul's schedule (config/barnaul.yaml): Mon–Thu 08:00–17:00, Fri 08:00–16:00, lunch 12:00–12:48,
 * pre-holiday days 1 h shorter. A full day holds 8 h 12 min of working time (492 minutes), a Friday
 * 7 h 12 min (432).
 */
export const HOURS: WorkingHours = {
  schedule: {
    mon: { start: '08:00', end: '17:00' },
    tue: { start: '08:00', end: '17:00' },
    wed: { start: '08:00', end: '17:00' },
    thu: { start: '08:00', end: '17:00' },
    fri: { start: '08:00', end: '16:00' },
  },
  lunch: { start: '12:00', end: '12:48' },
  preHolidayShortening: '1h',
};

/** A Barnaul wall-clock time, "YYYY-MM-DD HH:MM", as an instant (UTC+7). */
export const local = (s: string): Date => new Date(`${s.replace(' ', 'T')}:00+07:00`);
