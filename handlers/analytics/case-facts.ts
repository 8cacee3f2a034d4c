import { createHash } from 'node:crypto';
import type { WorkingCalendar } from '../../lib/deadlines/index.js';
import { type DepartmentFigures, departmentFigures } from '../../models/analytics-query.js';
import {
  claimStaleFacts,
  factCalendarDigests,
  factSpan,
  firstCaseAt,
  lockFactRefresh,
  saveFactCalendar,
  staleFactCount,
  writeCaseFacts,
} from '../../models/case-facts.js';
import { factFigures } from '../../models/case-facts-query.js';
import { inTransaction } from '../../models/database.js';
import type { HandlerDeps } from '../deps.js';
import { calendarDays } from './calendar-days.js';

/**
 * Keeping the per-case facts (migration 0028, docs/architecture/ratings.md#the-facts-table) in step:
 * the database marks the cases a write touched; this recomputes them with the app's working calendar,
 * in the background (the `refresh-case-facts` job) and before each read, so a read always sees facts
 * as fresh as the data.
 */

export type FactsDeps = Pick<HandlerDeps, 'db' | 'clock' | 'calendar'>;

/**
 * A read refreshes at most this many stale cases itself (well under a second); with more waiting — a
 * fresh migration's backfill or a changed calendar, while the job works it down — it computes the
 * figures directly from the cases instead, which gives the same figures at the old speed.
 */
export const READ_REFRESH_LIMIT = 10_000;
/** Cases per transaction when the job refreshes. */
export const REFRESH_BATCH = 20_000;

export interface RefreshOutcome {
  /** Cases whose facts were recomputed. */
  refreshed: number;
  /** Cases marked again because the working calendar of some year changed. */
  recalendared: number;
}

/**
 * Recomputes stale facts in transactions of `batch` cases until none is left (or `maxBatches` ran):
 * what the job does. Each transaction holds the refresh lock, so refreshers never overlap.
 */
export async function refreshCaseFacts(
  deps: FactsDeps,
  options: { batch?: number; maxBatches?: number } = {},
): Promise<RefreshOutcome> {
  const batch = options.batch ?? REFRESH_BATCH;
  const recalendared = await checkCalendar(deps);
  let refreshed = 0;
  for (let i = 0; i < (options.maxBatches ?? Number.POSITIVE_INFINITY); i++) {
    const n = await refreshBatch(deps, batch);
    refreshed += n;
    if (n < batch) break;
  }
  return { refreshed, recalendared };
}

/**
 * The ratings' raw figures for each period, from the facts once they are refreshed; directly from the
 * cases while more than READ_REFRESH_LIMIT cases wait (same figures, computed the old way).
 * `durations: false`: the caller reads counts only (a score, a rule), so the facts' read leaves the
 * response-time percentiles out (null); the direct computation has them anyway.
 */
export async function periodFigures(
  deps: FactsDeps,
  p: {
    periods: readonly { from: Date; to: Date }[];
    repeatWindowDays: number;
    wholeCity?: boolean;
    now?: Date;
    durations?: boolean;
  },
): Promise<DepartmentFigures[][]> {
  const now = p.now ?? deps.clock.now();
  if (await factsReady(deps))
    return factFigures(deps.db, {
      periods: p.periods,
      now,
      repeatWindowDays: p.repeatWindowDays,
      wholeCity: p.wholeCity ?? false,
      durations: p.durations ?? true,
    });
  const starts = p.periods.map((x) => x.from.getTime());
  const ends = p.periods.map((x) => x.to.getTime());
  const calendar = calendarDays(
    deps.calendar,
    new Date(Math.min(now.getTime(), ...starts)),
    new Date(Math.max(now.getTime(), ...ends)),
  );
  const out: DepartmentFigures[][] = [];
  for (const period of p.periods)
    out.push(
      await departmentFigures(deps.db, {
        ...period,
        now,
        calendar,
        repeatWindowDays: p.repeatWindowDays,
        ...(p.wholeCity ? { wholeCity: true } : {}),
      }),
    );
  return out;
}

/**
 * Brings the facts up to date for a read; false when more than `limit` cases wait (the caller computes
 * directly).
 */
export async function factsReady(deps: FactsDeps, limit = READ_REFRESH_LIMIT): Promise<boolean> {
  await checkCalendar(deps);
  const stale = await staleFactCount(deps.db, limit);
  if (stale > limit) return false;
  // Cases marked after the count belong to writes newer than this read; a second round is not owed.
  if (stale > 0) await refreshBatch(deps, 2 * limit);
  return true;
}

/** One transaction: lock, take up to `limit` stale cases, recompute them. The number taken. */
async function refreshBatch(deps: FactsDeps, limit: number): Promise<number> {
  return inTransaction(deps.db, async (tx) => {
    await lockFactRefresh(tx);
    const ids = await claimStaleFacts(tx, limit);
    if (ids.length === 0) return 0;
    const now = deps.clock.now();
    // The calendar from the earliest instant the cases' facts read to now (or a registration after it),
    // a day of margin each side, as the direct ratings take it: an instant outside it, which life does
    // not produce (an answer stamped in the future, a date before 2000), gets no working time there
    // either.
    const span = await factSpan(tx, ids);
    const from = Math.max(Date.parse('2000-01-01T00:00:00Z'), Math.min(now.getTime(), span?.from.getTime() ?? now.getTime()));
    const to = Math.max(now.getTime(), span?.to.getTime() ?? now.getTime());
    const calendar = calendarDays(deps.calendar, new Date(from), new Date(to));
    await writeCaseFacts(tx, ids, { calendar, now });
    return ids.length;
  });
}

// ---------------------------------------------------------------------------------------------
// The working calendar the facts were computed with
// ---------------------------------------------------------------------------------------------

/** Digests of a calendar's years, computed once per calendar object (the domain file is read at start). */
const digests = new WeakMap<WorkingCalendar, Map<number, string>>();

/** A digest of one local year's working intervals: changes exactly when a working hour of that year does. */
export function yearDigest(calendar: WorkingCalendar, year: number): string {
  let byYear = digests.get(calendar);
  if (!byYear) {
    byYear = new Map();
    digests.set(calendar, byYear);
  }
  const known = byYear.get(year);
  if (known !== undefined) return known;
  const hash = createHash('sha256');
  for (let day = Date.UTC(year, 0, 1); day < Date.UTC(year + 1, 0, 1); day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10);
    hash.update(`${date}:${calendar.workingIntervals(date).map((i) => `${i.start}-${i.end}`)};`);
  }
  const digest = hash.digest('hex').slice(0, 32);
  byYear.set(year, digest);
  return digest;
}

/**
 * Compares the working calendar of every year from the first case's to now's with the one the facts
 * were computed with; a changed year (a new production calendar file, other working hours) marks the
 * facts computed over it stale. Returns how many were marked.
 */
async function checkCalendar(deps: FactsDeps): Promise<number> {
  const first = await firstCaseAt(deps.db);
  if (!first) return 0;
  const yearOf = (at: Date) => Number(deps.calendar.localDateOf(at).slice(0, 4));
  const current: [number, string][] = [];
  // From 2000 at the earliest: the facts' calendar never starts before (a date before is a data error).
  for (let year = Math.max(2000, yearOf(first)); year <= yearOf(deps.clock.now()); year++)
    current.push([year, yearDigest(deps.calendar, year)]);
  const stored = await factCalendarDigests(deps.db);
  if (current.every(([year, digest]) => stored.get(year) === digest)) return 0;
  return inTransaction(deps.db, async (tx) => {
    await lockFactRefresh(tx);
    const again = await factCalendarDigests(tx);
    const changed = current.filter(([year, digest]) => again.has(year) && again.get(year) !== digest).map(([year]) => year);
    const missing = current.filter(([year]) => !again.has(year));
    if (changed.length === 0 && missing.length === 0) return 0;
    const from = changed.length === 0 ? null : new Date(deps.calendar.zone.instantOf(`${Math.min(...changed)}-01-01`, 0));
    return saveFactCalendar(tx, [...current.filter(([year]) => changed.includes(year)), ...missing], from);
  });
}
