import { sql } from 'kysely';
import type { HeatCell } from './analytics-heatmap.js';
import { type DepartmentFigures, toFigures } from './analytics-query.js';
import { DAY_SUMS, DURATION_BUCKETS, GRAINS, MEASURES } from './case-facts.js';
import type { Db, Executor } from './database.js';

/**
 * Reading the ratings' facts (models/case-facts.ts keeps them): the figures of departmentFigures and
 * heatCells, the same numbers, from a few hundred pre-added rows a period instead of every case.
 * The caller refreshes the facts first (handlers/analytics/case-facts.ts).
 */

const DAY_MS = 86_400_000;

type Row = Record<string, string | number | null>;

interface Period {
  from: Date;
  to: Date;
  now: Date;
  repeatWindowDays: number;
  wholeCity?: boolean;
}

/**
 * The ratings' raw figures per department for each period (registered in [from, to), merged duplicates
 * left out). The counts of every period come from one statement; `durations: false` leaves the
 * percentiles out (null) — what a score needs is counts only (the trend sparklines, the
 * recommendations' rules), and the percentiles are two statements a period.
 */
export async function factFigures(
  db: Executor,
  p: {
    periods: readonly { from: Date; to: Date }[];
    now: Date;
    repeatWindowDays: number;
    wholeCity?: boolean;
    durations?: boolean;
  },
): Promise<DepartmentFigures[][]> {
  if (p.periods.length === 0) return [];
  return withSortMemory(db, async (tx) => {
    const counts = await periodCounts(tx, p);
    const out: DepartmentFigures[][] = [];
    for (const [k, period] of p.periods.entries()) {
      const rows = counts.filter((r) => Number(r.k) === k);
      const none = new Map<string, { p50: number | null; p90: number | null }>();
      const first = p.durations === false ? none : await percentiles(tx, { ...p, ...period }, 'first_hours');
      const final = p.durations === false ? none : await percentiles(tx, { ...p, ...period }, 'final_hours');
      out.push(
        rows.map(({ k: _k, ...r }) => {
          const department = String(r.department);
          const f = first.get(department);
          const l = final.get(department);
          return toFigures({
            ...r,
            first_p50: f?.p50 ?? null,
            first_p90: f?.p90 ?? null,
            final_p50: l?.p50 ?? null,
            final_p90: l?.p90 ?? null,
          });
        }),
      );
    }
    return out;
  });
}

/**
 * Runs `fn` in a transaction whose sorts may use 64 MB (the server's default is 4 MB): the whole
 * city's week or a partial month is sorted in memory, not spilled to disk.
 */
async function withSortMemory<T>(db: Executor, fn: (tx: Executor) => Promise<T>): Promise<T> {
  const run = async (tx: Executor) => {
    await sql`set local work_mem = '64MB'`.execute(tx);
    return fn(tx);
  };
  return db.isTransaction ? run(db) : (db as Db).transaction().execute(run);
}

/** The UTC-aligned part of [from, to) with `unit`s wholly inside it; empty (to, to) when there is none. */
function aligned(p: { from: Date; to: Date }, floor: (ms: number) => number, next: (ms: number) => number): [Date, Date] {
  const start = floor(p.from.getTime()) === p.from.getTime() ? p.from.getTime() : next(floor(p.from.getTime()));
  const end = floor(p.to.getTime());
  return start < end ? [new Date(start), new Date(end)] : [p.to, p.to];
}
const dayFloor = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const dayNext = (ms: number) => ms + DAY_MS;
const monthFloor = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const monthNext = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** The rows of [from, to) outside [inFrom, inTo) (the hours or days at either end). */
const outside = (p: { from: Date; to: Date }, inFrom: Date, inTo: Date) =>
  sql`((created_at >= ${p.from} and created_at < ${inFrom}) or (created_at >= ${inTo} and created_at < ${p.to}))`;

// ---------------------------------------------------------------------------------------------
// Counts
// ---------------------------------------------------------------------------------------------

/**
 * The counts of every period, one statement (`k`: the period's index): the sums of case_fact_day for
 * the whole UTC days inside each and of the facts for the hours at either end; "overdue now" and the
 * repeats (they depend on the request's now and window) from the few facts they concern (partial
 * indexes).
 */
async function periodCounts(
  db: Executor,
  p: { periods: readonly { from: Date; to: Date }[]; now: Date; repeatWindowDays: number; wholeCity?: boolean },
): Promise<Row[]> {
  const days = p.periods.map((x) => aligned(x, dayFloor, dayNext));
  const d = sql.raw(p.wholeCity ? `'*'::text` : 'department');
  const inPeriod = sql`created_at >= ps.p_from and created_at < ps.p_to and department is not null and not merged`;
  const sums = sql.join(DAY_SUMS.map(([name]) => sql`sum(${sql.ref(name)}) as ${sql.ref(name)}`));
  const { rows } = await sql<Row>`
    with ps as (
      select * from unnest(
        ${p.periods.map((x) => x.from)}::timestamptz[], ${p.periods.map((x) => x.to)}::timestamptz[],
        ${days.map((x) => x[0])}::timestamptz[], ${days.map((x) => x[1])}::timestamptz[]
      ) with ordinality as ps(p_from, p_to, day_from, day_to, n)
    ),
    -- Each period's parts read by its own index range (a lateral query each: as a join, the planner
    -- cannot tell the ranges are short and scans the whole table).
    rolled as (
      select ps.n, x.* from ps
      cross join lateral (
        select ${d} as department, ${sums}
        from case_fact_day
        where day >= (ps.day_from at time zone 'UTC')::date and day < (ps.day_to at time zone 'UTC')::date
        group by 1
      ) x
    ),
    -- The hours before the first whole day and after the last: two ranges (each an index range).
    ends as (
      select n, p_from as e_from, day_from as e_to from ps
      union all
      select n, day_to, p_to from ps
    ),
    edges as (
      select ends.n, x.* from ends
      cross join lateral (
        select ${d} as department, ${sql.join(DAY_SUMS.map(([name, expression]) => sql`${sql.raw(expression)} as ${sql.ref(name)}`))}
        from case_fact
        where created_at >= ends.e_from and created_at < ends.e_to and department is not null and not merged
        group by 1
      ) x
    ),
    counts as (
      select n, department, ${sums} from (select * from rolled union all select * from edges) x group by 1, 2
    ),
    -- Due = answered + unanswered past the deadline now and not waiting for the citizen.
    overdue as (
      select ps.n, ${d} as department, count(*) as due_now from ps
      join case_fact on ${inPeriod} and final_out is null and deadline_at < ${p.now} and paused_at is null
      group by 1, 2
    ),
    repeats as (
      select ps.n, ${d} as department, count(*) as repeats_n from ps
      join case_fact on ${inPeriod} and repeat_after is not null
        and repeat_after >= created_at - make_interval(days => ${p.repeatWindowDays})
      group by 1, 2
    )
    select c.n - 1 as k, c.department, c.cases, c.answered, c.answered + coalesce(o.due_now, 0) as due, c.answered_on_time,
      c.final_answers as finals, c.clean_answers as clean, c.held_answers as held, c.forced_answers as forced,
      c.reopenings, coalesce(r.repeats_n, 0) as repeats, c.polled, c.poll_answered as polls_answered, c.rated, c.rated45,
      c.rating_sum
    from counts c
    left join overdue o on o.n = c.n and o.department = c.department
    left join repeats r on r.n = c.n and r.department = c.department
    order by c.n, c.department`.execute(db);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Percentiles
// ---------------------------------------------------------------------------------------------

type Measure = keyof typeof MEASURES;

/**
 * The median and 90th percentile of a duration per department, exactly as percentile_cont over the
 * period's values gives them, without sorting them: the histogram of the period (case_fact_hist's
 * whole UTC months and days, the facts for the hours at either end) tells in which bucket each wanted rank
 * falls and how many values lie below it; the duration index then reads, from that bucket's lower
 * bound, the few entries up to the rank and the one after it. The two values are interpolated by
 * percentile_cont itself (over those two, with the same proportion), so the arithmetic is the
 * server's own. The whole city (the weekly report's week) is a plain percentile_cont.
 */
async function percentiles(
  db: Executor,
  p: Period,
  measure: Measure,
): Promise<Map<string, { p50: number | null; p90: number | null }>> {
  const column = sql.ref(measure);
  const out = new Map<string, { p50: number | null; p90: number | null }>();
  if (p.wholeCity) {
    const { rows } = await sql<{ p50: number | null; p90: number | null }>`
      select percentile_cont(0.5) within group (order by ${column}) as p50,
        percentile_cont(0.9) within group (order by ${column}) as p90
      from case_fact
      where created_at >= ${p.from} and created_at < ${p.to} and department is not null and not merged
        and ${column} is not null`.execute(db);
    const r = rows[0];
    if (r && r.p50 !== null) out.set('*', r);
    return out;
  }
  // Whole UTC months from the monthly histograms, the other whole days from the daily ones, the hours
  // at either end from the facts.
  const [dayFrom, dayTo] = aligned(p, dayFloor, dayNext);
  const [monthFrom, monthTo] = dayFrom < dayTo ? aligned({ from: dayFrom, to: dayTo }, monthFloor, monthNext) : [dayTo, dayTo];
  const bounds = sql`${DURATION_BUCKETS}::float8[]`;
  const date = (at: Date) => sql`(${at}::timestamptz at time zone 'UTC')::date`;
  const { rows } = await sql<{ department: string; k: number; value: number | null }>`
    with hist as (
      select department, bucket, sum(n)::bigint as n from (
        select department, bucket, n from case_fact_hist
        where grain = ${GRAINS.month} and measure = ${MEASURES[measure]}
          and start >= ${date(monthFrom)} and start < ${date(monthTo)}
        union all
        select department, bucket, n from case_fact_hist
        where grain = ${GRAINS.day} and measure = ${MEASURES[measure]}
          and ((start >= ${date(dayFrom)} and start < ${date(monthFrom)}) or (start >= ${date(monthTo)} and start < ${date(dayTo)}))
        union all
        select department, width_bucket(${column}, ${bounds}), count(*) from case_fact
        where ${outside(p, dayFrom, dayTo)} and department is not null and not merged and ${column} is not null
        group by 1, 2
      ) x
      group by 1, 2
    ),
    cum as (
      select department, bucket, n,
        sum(n) over (partition by department order by bucket) - n as below,
        sum(n) over (partition by department) as total
      from hist
    ),
    -- percentile_cont's own ranks: floor and ceil of p·(n − 1), and the proportion between them.
    wanted as (
      select t.department, q.k, x.at, floor(x.at) as lo, ceil(x.at) as hi, x.at - floor(x.at) as proportion
      from (select distinct department, total from cum) t
      cross join (values (1, 0.5::float8), (2, 0.9::float8)) q(k, p)
      cross join lateral (select q.p * (t.total - 1)::float8 as at) x
    ),
    located as (
      select w.*, c.bucket, (w.lo - c.below)::bigint as skip
      from wanted w join cum c on c.department = w.department and w.lo >= c.below and w.lo < c.below + c.n
    )
    select l.department, l.k,
      case when l.lo = l.hi then v.pair[1]
        else (select percentile_cont(l.proportion) within group (order by x) from unnest(v.pair) x) end as value
    from located l
    cross join lateral (
      select array_agg(h order by h) as pair from (
        select f.${column} as h from case_fact f
        where f.department = l.department and f.${column} is not null and not f.merged
          and f.${column} >= (case when l.bucket = 0 then '-infinity'::float8 else (${bounds})[l.bucket] end)
          and f.created_at >= ${p.from} and f.created_at < ${p.to}
        order by f.${column}
        offset l.skip limit 2
      ) z
    ) v`.execute(db);
  for (const r of rows) {
    const entry = out.get(r.department) ?? { p50: null, p90: null };
    if (Number(r.k) === 1) entry.p50 = r.value;
    else entry.p90 = r.value;
    out.set(r.department, entry);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The heat map
// ---------------------------------------------------------------------------------------------

/** The heat map's cells (models/analytics-heatmap.ts's heatCells) from the facts. */
export async function factHeatCells(db: Executor, p: { from: Date; to: Date; now: Date }): Promise<HeatCell[]> {
  const { rows } = await sql<{ district: string; category: string; cases: string; overdue: string }>`
    select f.district, f.category, count(*) as cases,
      count(*) filter (where f.deadline_at is not null and (
        (f.final_out is not null and f.final_out > f.deadline_at)
        or (f.final_out is null and f.status not in ('answered', 'closed') and f.paused_at is null and f.deadline_at < ${p.now})
      )) as overdue
    from case_fact f
    where f.created_at >= ${p.from} and f.created_at < ${p.to}
      and not f.merged and f.district is not null and f.category is not null
    group by f.district, f.category
    order by f.district, f.category`.execute(db);
  return rows.map((r) => ({ district: r.district, category: r.category, cases: Number(r.cases), overdue: Number(r.overdue) }));
}
