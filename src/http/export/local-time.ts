import { TimeZone } from '../../../lib/deadlines/index.js';

/**
 * Instants as the city reads them, `YYYY-MM-DD HH:mm` in its time zone, fast enough for millions of
 * cells: the zone (lib/deadlines' TimeZone) is asked for its offset once per quarter of an hour (every offset change since
 * 1970 falls on one), and the rest is arithmetic.
 */

const QUARTER_MS = 15 * 60 * 1000;
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
  return {
    format(at) {
      const ms = at.getTime();
      const wall = new Date(ms + offsetAt(ms));
      return `${wall.getUTCFullYear()}-${two(wall.getUTCMonth() + 1)}-${two(wall.getUTCDate())} ${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`;
    },
  };
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));
