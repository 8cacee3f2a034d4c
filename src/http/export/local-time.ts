import { TimeZone } from '../../../lib/deadlines/index.js';

/**
 * Instants as the city reads them, `YYYY-MM-DD HH:mm` in its time zone, fast enough for millions of
 * cells: the zone (lib/deadlines' TimeZone) is asked for its offset once per quarter of an hour (every offset change since
 * 1970 falls on one), and the rest is arithmetic.
 */

const QUARTER_MS = 15 * 60 * 1000;
const DAY_MS = 86_400_000;
/** Cached offsets; a large export spans few quarters per distinct day, so this stays small. */
const MAX_CACHED = 50_000;

export interface LocalTime {
  /** `2026-03-01 09:05` in the city's time zone. */
  format(at: Date): string;
}

export function localTime(timeZone: string): LocalTime {
  const zone = new TimeZone(timeZone);
  const offsets = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const quarter = Math.floor(ms / QUARTER_MS);
    let offset = offsets.get(quarter);
    if (offset === undefined) {
      const at = quarter * QUARTER_MS;
      offset = zone.wallAt(at) - at;
      if (offsets.size >= MAX_CACHED) offsets.clear();
      offsets.set(quarter, offset);
    }
    return offset;
  };
  // The date part is the same for every instant of a local day: computed once per day.
  const dates = new Map<number, string>();
  return {
    format(at) {
      const ms = at.getTime();
      const wall = ms + offsetAt(ms);
      const day = Math.floor(wall / DAY_MS);
      let date = dates.get(day);
      if (date === undefined) {
        date = new Date(day * DAY_MS).toISOString().slice(0, 10);
        if (dates.size >= MAX_CACHED) dates.clear();
        dates.set(day, date);
      }
      const minute = Math.floor((wall - day * DAY_MS) / 60_000);
      return `${date} ${two(Math.floor(minute / 60))}:${two(minute % 60)}`;
    },
  };
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));
