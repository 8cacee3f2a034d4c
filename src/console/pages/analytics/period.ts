import { z } from 'zod';
import { MAX_PERIOD_YEARS } from '../../../../handlers/analytics/index.js';
import { addDays, weekdayOf } from '../../../../lib/deadlines/local-time.js';
import type { ConsoleDeps } from '../../deps.js';
import type { FieldErrors } from '../../form.js';
import { cityMidnight } from '../cases.js';

/**
 * The analytics pages' period: two local days in the URL, `from` and `to` inclusive, in the city's
 * time zone — the cases list's own reading of `from`/`to`, so a heat map cell and the list it opens
 * count over the same instants. Without them a page shows its default period.
 */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (v: string) => {
  if (!DAY.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && v >= '2000-01-01' && v < '2100-01-01';
};
const day = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.string().refine(isDay, 'Дата в виде ГГГГ-ММ-ДД (2000–2099).').optional(),
);

export const periodFilters = z.object({ from: day, to: day });

export interface Period {
  /** The first and the last local day, as the URL has them. */
  fromDay: string;
  toDay: string;
  /** The instants [from, to) the use cases take. */
  from: Date;
  to: Date;
}

export type PresetKey = 'this-week' | 'last-week' | 'this-month' | 'last-month' | 'this-quarter' | 'this-year';

/** One formatter per zone: making an Intl.DateTimeFormat costs far more than using one (a page asks several times). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Today's local date in the city. */
export function cityToday(deps: Pick<ConsoleDeps, 'domain' | 'clock'>): string {
  const zone = deps.domain.city.timezone;
  let format = dayFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone });
    dayFormats.set(zone, format);
  }
  return format.format(deps.clock.now());
}

const monthStart = (d: string) => `${d.slice(0, 8)}01`;
const lastOfMonth = (first: string) => {
  const [y, m] = [Number(first.slice(0, 4)), Number(first.slice(5, 7))];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
const previousMonthStart = (first: string) => monthStart(addDays(first, -1));

/** The quick choices, as days (the last day of a running period is today). */
export function presets(today: string): { key: PresetKey; label: string; fromDay: string; toDay: string }[] {
  const monday = addDays(today, -((weekdayOf(today) + 6) % 7));
  const month = monthStart(today);
  const lastMonth = previousMonthStart(month);
  const quarter = `${today.slice(0, 5)}${String(Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  return [
    { key: 'this-week', label: 'Эта неделя', fromDay: monday, toDay: today },
    { key: 'last-week', label: 'Прошлая неделя', fromDay: addDays(monday, -7), toDay: addDays(monday, -1) },
    { key: 'this-month', label: 'Этот месяц', fromDay: month, toDay: today },
    { key: 'last-month', label: 'Прошлый месяц', fromDay: lastMonth, toDay: lastOfMonth(lastMonth) },
    { key: 'this-quarter', label: 'Этот квартал', fromDay: quarter, toDay: today },
    { key: 'this-year', label: 'Этот год', fromDay: `${today.slice(0, 4)}-01-01`, toDay: today },
  ];
}

/** The instants of two local days, `toDay` inclusive. */
export function periodOf(fromDay: string, toDay: string, deps: Pick<ConsoleDeps, 'domain'>): Period {
  const zone = deps.domain.city.timezone;
  return { fromDay, toDay, from: cityMidnight(fromDay, zone), to: cityMidnight(addDays(toDay, 1), zone) };
}

export type PeriodResult = { ok: true; period: Period } | { ok: false; errors: FieldErrors; values: Record<string, unknown> };

/**
 * The period of a page's query: both days, or the default preset when neither is given (one alone is
 * completed by the preset's other end). Wrong days or a reversed or too long period come back per field.
 */
export function readPeriod(query: unknown, deps: Pick<ConsoleDeps, 'domain' | 'clock'>, fallback: PresetKey): PeriodResult {
  const parsed = periodFilters.safeParse(query ?? {});
  const values = (query ?? {}) as Record<string, unknown>;
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'from');
      errors[field] ??= /[А-Яа-яЁё]/.test(issue.message) ? issue.message : 'Дата в виде ГГГГ-ММ-ДД (2000–2099).';
    }
    return { ok: false, errors, values };
  }
  const preset = presets(cityToday(deps)).find((p) => p.key === fallback);
  const fromDay = parsed.data.from ?? preset?.fromDay ?? cityToday(deps);
  const toDay = parsed.data.to ?? preset?.toDay ?? cityToday(deps);
  if (fromDay > toDay) return { ok: false, errors: { to: 'Дата «по» раньше даты «с».' }, values };
  const limit = `${Number(fromDay.slice(0, 4)) + MAX_PERIOD_YEARS}${fromDay.slice(4)}`;
  if (toDay >= limit) return { ok: false, errors: { to: `Период — не больше ${MAX_PERIOD_YEARS} лет.` }, values };
  return { ok: true, period: periodOf(fromDay, toDay, deps) };
}

/** «02.11.2026 — 15.11.2026». */
export function periodTitle(p: Pick<Period, 'fromDay' | 'toDay'>): string {
  const ru = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
  return p.fromDay === p.toDay ? ru(p.fromDay) : `${ru(p.fromDay)} — ${ru(p.toDay)}`;
}

/** The periods of the same length just before `p`, oldest first: [p − count·L, p − (count−1)·L), …, [p − L, p). */
export function periodsBefore(p: { from: Date; to: Date }, count: number): { from: Date; to: Date }[] {
  const length = p.to.getTime() - p.from.getTime();
  const out: { from: Date; to: Date }[] = [];
  for (let k = count; k >= 1; k--)
    out.push({ from: new Date(p.from.getTime() - k * length), to: new Date(p.from.getTime() - (k - 1) * length) });
  return out;
}
