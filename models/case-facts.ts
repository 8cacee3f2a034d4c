import { sql } from 'kysely';
import { type CalendarDays, perCaseCtes } from './analytics-query.js';
import type { Executor } from './database.js';
import { writeProblemFacts } from './problem-facts.js';

/**
 * The ratings' per-case facts (migration 0028, docs/architecture/ratings.md#the-facts-table): triggers
 * mark a case stale whenever a write touches what its facts read; the refresher here recomputes the
 * stale cases with the direct ratings' own per-case SQL (`perCaseCtes`), with the sums and histograms
 * the reads add up (case-facts-query.ts reads them).
 */

// ---------------------------------------------------------------------------------------------
// Refreshing
// ---------------------------------------------------------------------------------------------

/** Serialises refreshers (an arbitrary constant: "facts" in ASCII). */
const REFRESH_LOCK = 0x6661637473;

/** Waits for any other refresher to commit, then holds the refresh until this transaction ends. */
export async function lockFactRefresh(tx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${REFRESH_LOCK})`.execute(tx);
  // A batch's sorts and hashes (tens of thousands of cases) fit in memory instead of spilling to disk.
  await sql`set local work_mem = '64MB'`.execute(tx);
}

/** How many cases wait for their facts, counted up to `cap` + 1 (enough to tell "more than cap"). */
export async function staleFactCount(db: Executor, cap: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (select 1 from case_fact_stale limit ${cap + 1}) s`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Takes up to `limit` stale cases off the list (lowest ids first); the caller recomputes them in the same transaction. */
export async function claimStaleFacts(tx: Executor, limit: number): Promise<number[]> {
  const { rows } = await sql<{ case_id: number }>`
    delete from case_fact_stale
    where case_id in (select case_id from case_fact_stale order by case_id limit ${limit})
    returning case_id`.execute(tx);
  return rows.map((r) => Number(r.case_id)).sort((a, b) => a - b);
}

/**
 * The span of instants the cases' facts read, for their calendar: from the earliest registration or
 * answer to the latest registration.
 */
export async function factSpan(db: Executor, ids: readonly number[]): Promise<{ from: Date; to: Date } | null> {
  const { rows } = await sql<{ lo: Date | null; hi: Date | null }>`
    select least(c.lo, (select min(coalesce(reviewed_at, created_at)) from answer where case_id = any(${ids}::bigint[]))) as lo, c.hi
    from (select min(created_at) as lo, max(created_at) as hi from "case" where id = any(${ids}::bigint[])) c`.execute(db);
  const r = rows[0];
  return r?.lo && r.hi ? { from: r.lo, to: r.hi } : null;
}

/** (problem, district) pairs of the cases' stored facts: whose repeats a change of these cases may move. */
async function repeatPairs(db: Executor, ids: readonly number[]): Promise<{ problem: number; district: string | null }[]> {
  const { rows } = await sql<{ problem_id: number; district: string | null }>`
    select distinct problem_id, district from case_fact
    where case_id = any(${ids}::bigint[]) and problem_id is not null`.execute(db);
  return rows.map((r) => ({ problem: Number(r.problem_id), district: r.district }));
}

/**
 * Recomputes the facts of `ids` (a case gone is forgotten), then the repeats of every problem and
 * district they were or are in, and those problems' facts. `calendar` must cover factSpan(ids) and
 * `now`; `now` ends a pause still running, as in the direct ratings (an answer is never later than now,
 * so the figures do not depend on when the facts were computed).
 */
export async function writeCaseFacts(
  tx: Executor,
  ids: readonly number[],
  p: { calendar: CalendarDays; now: Date },
): Promise<void> {
  if (ids.length === 0) return;
  const before = await repeatPairs(tx, ids);
  await addToSums(tx, ids, -1);
  // Out with the old facts (a case gone, or registered outside any calendar, keeps none), in with the new.
  await sql`delete from case_fact where case_id = any(${ids}::bigint[])`.execute(tx);
  const c0 = sql`
      select c.id, c.created_at, c.department, c.district, c.category, c.problem_id, c.status,
        c.merged_into is not null as merged, c.deadline_at, c.paused_at
      from "case" c
      where c.id = any(${ids}::bigint[])`;
  await sql`
    with ${perCaseCtes(c0, p)}
    insert into case_fact (case_id, created_at, department, district, category, problem_id, status, merged,
      deadline_at, paused_at, first_out, final_out, last_final_out, first_hours, final_hours,
      final_answers, clean_answers, held_answers, forced_answers, reopenings, repeat_after,
      polled, poll_answered, rating)
    select t.id, t.created_at, t.department, t.district, t.category, t.problem_id, t.status, t.merged,
      t.deadline_at, t.paused_at, t.first_out, t.final_out, t.last_final_out, t.first_h, t.final_h,
      coalesce(q.finals, 0), coalesce(q.clean, 0), coalesce(q.held, 0), coalesce(q.forced, 0), coalesce(r.n, 0), null,
      pl.asked_at is not null, coalesce(pl.state = 'answered', false), pl.rating
    from t
    left join quality q on q.case_id = t.id
    left join reopens r on r.case_id = t.id
    left join poll pl on pl.case_id = t.id`.execute(tx);
  await addToSums(tx, ids, 1);
  const after = await repeatPairs(tx, ids);
  await writeRepeats(tx, [...before, ...after]);
  // Every problem the cases were or are in: its row is the aggregate of its cases' facts.
  await writeProblemFacts(tx, [...new Set([...before, ...after].map((x) => x.problem))]);
}

/**
 * The facts of `ids` that only add up, added to (sign 1) or taken from (-1) their department's UTC
 * day (case_fact_day), and their durations to their department's UTC day's and month's histograms
 * (case_fact_hist).
 */
async function addToSums(tx: Executor, ids: readonly number[], sign: 1 | -1): Promise<void> {
  const columns = DAY_SUMS.map(([name]) => sql.ref(name));
  const sums = DAY_SUMS.map(([, expression]) => sql`${sign} * ${sql.raw(expression)}`);
  const updates = DAY_SUMS.map(([name]) => sql`${sql.ref(name)} = case_fact_day.${sql.ref(name)} + excluded.${sql.ref(name)}`);
  await sql`
    insert into case_fact_day (department, day, ${sql.join(columns)})
    select department, (created_at at time zone 'UTC')::date, ${sql.join(sums)}
    from case_fact
    where case_id = any(${ids}::bigint[]) and department is not null and not merged
    group by 1, 2
    on conflict (department, day) do update set ${sql.join(updates)}`.execute(tx);
  await sql`
    insert into case_fact_hist (grain, measure, start, department, bucket, n)
    select g.grain, m.measure, g.start, f.department, width_bucket(m.hours, ${DURATION_BUCKETS}::float8[]), ${sign} * count(*)
    from case_fact f
    cross join lateral (values (${MEASURES.first_hours}::smallint, f.first_hours), (${MEASURES.final_hours}::smallint, f.final_hours)) m(measure, hours)
    cross join lateral (values
      (${GRAINS.day}::smallint, (f.created_at at time zone 'UTC')::date),
      (${GRAINS.month}::smallint, date_trunc('month', f.created_at at time zone 'UTC')::date)) g(grain, start)
    where f.case_id = any(${ids}::bigint[]) and f.department is not null and not f.merged and m.hours is not null
    group by 1, 2, 3, 4, 5
    on conflict (grain, measure, start, department, bucket) do update set n = case_fact_hist.n + excluded.n`.execute(tx);
  if (sign === -1) {
    await sql`delete from case_fact_day where cases = 0`.execute(tx);
    await sql`delete from case_fact_hist where n = 0`.execute(tx);
  }
}

/**
 * The duration histograms' bucket bounds, in working hours: bucket 0 below 0, then 0, and bounds
 * 10 % apart from 0.05 h to ~270 h, so no bucket holds more than a few per cent of a department's
 * answers. Changing them needs the histograms rebuilt (a migration).
 */
export const DURATION_BUCKETS: readonly number[] = [
  0,
  ...Array.from({ length: 91 }, (_, k) => Math.round(0.05 * 1.1 ** k * 1e6) / 1e6),
];

/** Which measure a histogram row counts. */
export const MEASURES = { first_hours: 1, final_hours: 2 } as const;
/** Which span a histogram row covers: a UTC day or a UTC month (from `start`). */
export const GRAINS = { day: 1, month: 2 } as const;

/** case_fact_day's columns and the aggregate over case_fact each sums. */
export const DAY_SUMS: readonly (readonly [string, string])[] = [
  ['cases', 'count(*)'],
  ['answered', 'count(final_out)'],
  ['answered_on_time', 'count(*) filter (where final_out <= deadline_at)'],
  ['final_answers', 'sum(final_answers)'],
  ['clean_answers', 'sum(clean_answers)'],
  ['held_answers', 'sum(held_answers)'],
  ['forced_answers', 'sum(forced_answers)'],
  ['reopenings', 'sum(reopenings)'],
  ['polled', 'count(*) filter (where polled)'],
  ['poll_answered', 'count(*) filter (where poll_answered)'],
  ['rated', 'count(rating)'],
  ['rated45', 'count(*) filter (where rating >= 4)'],
  ['rating_sum', 'coalesce(sum(rating), 0)'],
];

/**
 * `repeat_after` of every case of the pairs: the latest final answer let out for a case of the same
 * problem and district (not merged away) before this one was registered. A case is a repeat when that
 * falls within the repeat window, which the read applies, so the setting can change without a rebuild.
 * A running maximum over the pair's registrations and answers in time order (a registration sorts
 * before an answer of the same instant: "before" is strict).
 */
async function writeRepeats(tx: Executor, pairs: readonly { problem: number; district: string | null }[]): Promise<void> {
  const seen = new Map(pairs.map((x) => [`${x.problem}|${x.district ?? ''}|${x.district === null}`, x]));
  if (seen.size === 0) return;
  const list = [...seen.values()];
  await sql`
    with pairs as (
      select * from unnest(${list.map((x) => x.problem)}::bigint[], ${list.map((x) => x.district)}::text[]) as p(problem_id, district)
    ),
    f as (
      select f.case_id, f.problem_id, f.district, f.created_at, f.final_out, f.merged
      from case_fact f
      join pairs p on p.problem_id = f.problem_id and p.district is not distinct from f.district
    ),
    events as (
      select case_id, problem_id, district, created_at as at, 0 as k from f
      union all
      select case_id, problem_id, district, final_out, 1 from f where final_out is not null and not merged
    ),
    latest as (
      select case_id, k, max(case when k = 1 then at end)
        over (partition by problem_id, district order by at, k rows between unbounded preceding and 1 preceding) as after
      from events
    )
    update case_fact cf set repeat_after = latest.after
    from latest
    where latest.k = 0 and latest.case_id = cf.case_id and cf.repeat_after is distinct from latest.after`.execute(tx);
}

// ---------------------------------------------------------------------------------------------
// The calendar the facts were computed with
// ---------------------------------------------------------------------------------------------

/** The digest of each year's working days stored with the facts. */
export async function factCalendarDigests(db: Executor): Promise<Map<number, string>> {
  const { rows } = await sql<{ year: number; digest: string }>`select year, digest from case_fact_calendar`.execute(db);
  return new Map(rows.map((r) => [Number(r.year), r.digest]));
}

/**
 * Stores the years' digests; when some year's working days changed (`changedFrom`: that year's first
 * instant), every case with an answer let out since then is marked stale, its working hours being
 * computed over the changed days.
 */
export async function saveFactCalendar(
  tx: Executor,
  digests: readonly (readonly [number, string])[],
  changedFrom: Date | null,
): Promise<number> {
  if (digests.length > 0)
    await sql`
      insert into case_fact_calendar (year, digest)
      select * from unnest(${digests.map((d) => d[0])}::int[], ${digests.map((d) => d[1])}::text[])
      on conflict (year) do update set digest = excluded.digest`.execute(tx);
  if (!changedFrom) return 0;
  const marked = await sql`
    insert into case_fact_stale (case_id)
    select case_id from case_fact where greatest(first_out, final_out) >= ${changedFrom}
    on conflict do nothing`.execute(tx);
  return Number(marked.numAffectedRows ?? 0n);
}

/** The earliest registration of any case, or null without cases: where the calendar digests start. */
export async function firstCaseAt(db: Executor): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | null }>`select min(created_at) as at from "case"`.execute(db);
  return rows[0]?.at ?? null;
}
