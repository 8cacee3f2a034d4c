/**
 * How the console writes values for people, in Russian: the city's local time, numbers with thin
 * spaces, shares as percents, durations in hours. Templates call these as `it.fmt.…`.
 */
export interface CityTime {
  timezone: string;
  locale: string;
}

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/** «07.12.2026, 14:05» in the city's time zone; «—» for nothing. */
export function dateTime(at: Date | string | null | undefined, city: CityTime): string {
  if (!at) return '—';
  const f = formatter(
    `dt:${city.timezone}:${city.locale}`,
    () =>
      new Intl.DateTimeFormat(city.locale, {
        timeZone: city.timezone,
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }),
  );
  return f.format(new Date(at));
}

/** «07.12.2026» in the city's time zone. */
export function date(at: Date | string | null | undefined, city: CityTime): string {
  if (!at) return '—';
  const f = formatter(
    `d:${city.timezone}:${city.locale}`,
    () => new Intl.DateTimeFormat(city.locale, { timeZone: city.timezone, day: '2-digit', month: '2-digit', year: 'numeric' }),
  );
  return f.format(new Date(at));
}

/** The ISO timestamp for `<time datetime>`. */
export function iso(at: Date | string | null | undefined): string {
  return at ? new Date(at).toISOString() : '';
}

const numberFormat = new Intl.NumberFormat('ru-RU');
export function number(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : numberFormat.format(n);
}

/** 0.874 → «87 %»; null → «—». */
export function percent(share: number | null | undefined, digits = 0): string {
  if (share === null || share === undefined || Number.isNaN(share)) return '—';
  return `${(share * 100).toFixed(digits).replace('.', ',')} %`;
}

/** Hours as «3 ч 20 мин», «2 дн 4 ч» past a day; negative as overdue («просрочено на …»). */
export function hours(h: number | null | undefined): string {
  if (h === null || h === undefined || Number.isNaN(h)) return '—';
  const minutes = Math.round(Math.abs(h) * 60);
  const d = Math.floor(minutes / 1440);
  const hh = Math.floor((minutes % 1440) / 60);
  const mm = minutes % 60;
  const text = d > 0 ? `${d} дн ${hh} ч` : hh > 0 ? `${hh} ч ${mm} мин` : `${mm} мин`;
  return h < 0 ? `просрочено на ${text}` : text;
}

/** A query string from filters, leaving out empty values (links that keep the list's filters). */
export function query(params: Record<string, unknown>, change: Record<string, unknown> = {}): string {
  const merged = { ...params, ...change };
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === null || v === '') continue;
    search.set(k, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
