import { sql } from 'kysely';
import type { Executor } from './database.js';

/**
 * Where a problem (a cluster of cases) stands, derived from its cases at read time — nothing to keep
 * in step, no job:
 *  - `resolved`: every case answered (or closed) and none reopened or opened for `resolvedAfterDays`
 *    since the last final answer;
 *  - `recurring`: not resolved now, and some case came after the problem had been resolved (every
 *    earlier case settled at least `resolvedAfterDays` before it);
 *  - `in_work`: some case is taken, answered or reopened;
 *  - `open`: its cases wait for routing or for someone to take them.
 */
export const PROBLEM_STATUSES = ['open', 'in_work', 'resolved', 'recurring'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export interface ProblemSummary {
  id: number;
  /** The cluster's label (a category and place, or «Всплеск: …»), never a citizen's text. */
  title: string;
  category: string;
  district: string;
  status: ProblemStatus;
  /** Cases linked to the problem (duplicates merged into another case included, as each is a citizen's report). */
  volume: number;
  /** Cases in the last `windowDays` and in the same span before them; growth = recent − previous. */
  trend: { recent: number; previous: number; growth: number };
  districts: string[];
  categories: string[];
  /** The department most of its cases went to (null: none routed yet). */
  department: string | null;
  firstSeen: Date;
  lastSeen: Date;
  /** Since when it counts as resolved (the last final answer + resolvedAfterDays), when it is. */
  resolvedAt: Date | null;
  /** Cases that came after the problem had been resolved. */
  recurrences: number;
}

export interface ProblemListQuery {
  now: Date;
  resolvedAfterDays: number;
  windowDays: number;
  sort: 'volume' | 'growth';
  status?: ProblemStatus | undefined;
  category?: string | undefined;
  district?: string | undefined;
  limit: number;
  /** Rows of the order to skip (the console's pages); none by default. */
  offset?: number | undefined;
}

/** The problem list (regulation 2.2.7) with each problem's lifecycle status, volume and trend, in one statement. */
export async function problemList(db: Executor, q: ProblemListQuery): Promise<ProblemSummary[]> {
  const resolved = sql`make_interval(days => ${q.resolvedAfterDays})`;
  const window = sql`make_interval(days => ${q.windowDays})`;
  const order =
    q.sort === 'growth'
      ? sql`(recent - previous) desc, recent desc, volume desc, id desc`
      : sql`volume desc, last_seen desc, id desc`;
  const rows = await sql<{
    id: string;
    title: string;
    category: string;
    district: string;
    status: ProblemStatus;
    volume: string;
    recent: string;
    previous: string;
    districts: string[] | null;
    categories: string[] | null;
    department: string | null;
    first_seen: Date;
    last_seen: Date;
    resolved_at: Date | null;
    recurrences: string;
  }>`
    with pc as (
      select c.id, c.problem_id, c.status, c.created_at, c.district, c.category, c.department, c.merged_into
      from "case" c where c.problem_id is not null
    ),
    finals as (
      select a.case_id, max(coalesce(a.reviewed_at, a.created_at)) as last_final
      from answer a
      where a.case_id in (select id from pc) and a.kind = 'final' and a.state in ('queued', 'sent', 'recorded', 'blocked')
      group by a.case_id
    ),
    s as (
      select pc.*,
        -- When the case stopped needing work: its last final answer; an open case never did.
        case when pc.status in ('answered', 'closed') then coalesce(f.last_final, pc.created_at)
          else 'infinity'::timestamptz end as settled,
        pc.merged_into is null and pc.status in ('in_progress', 'interim_replied', 'reopened', 'answered', 'closed') as worked
      from pc left join finals f on f.case_id = pc.id
    ),
    ordered as (
      select s.*,
        max(s.settled) over (partition by s.problem_id order by s.created_at, s.id
          rows between unbounded preceding and 1 preceding) as prev_settled
      from s
    ),
    agg as (
      select problem_id,
        count(*) as volume,
        count(*) filter (where created_at >= ${q.now}::timestamptz - ${window} and created_at < ${q.now}) as recent,
        count(*) filter (where created_at >= ${q.now}::timestamptz - 2 * ${window} and created_at < ${q.now}::timestamptz - ${window}) as previous,
        max(settled) as settled,
        bool_or(worked) as worked,
        count(*) filter (where prev_settled + ${resolved} <= created_at) as recurrences,
        array_agg(distinct district order by district) filter (where district is not null) as districts,
        array_agg(distinct category order by category) filter (where category is not null) as categories,
        mode() within group (order by department) filter (where department is not null) as department,
        min(created_at) as first_seen,
        max(created_at) as last_seen
      from ordered group by problem_id
    ),
    st as (
      select p.id, p.title, p.category, p.district, agg.*,
        case
          when agg.settled + ${resolved} <= ${q.now} then 'resolved'
          when agg.recurrences > 0 then 'recurring'
          when agg.worked then 'in_work'
          else 'open'
        end as status,
        case when agg.settled + ${resolved} <= ${q.now} then agg.settled + ${resolved} end as resolved_at
      from problem p join agg on agg.problem_id = p.id
    )
    select * from st
    where true
      ${q.status ? sql`and status = ${q.status}` : sql``}
      ${q.category ? sql`and category = ${q.category}` : sql``}
      ${q.district ? sql`and district = ${q.district}` : sql``}
    order by ${order}
    limit ${q.limit} offset ${q.offset ?? 0}`.execute(db);
  return rows.rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    category: r.category,
    district: r.district,
    status: r.status,
    volume: Number(r.volume),
    trend: { recent: Number(r.recent), previous: Number(r.previous), growth: Number(r.recent) - Number(r.previous) },
    districts: r.districts ?? [],
    categories: r.categories ?? [],
    department: r.department,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    resolvedAt: r.resolved_at,
    recurrences: Number(r.recurrences),
  }));
}
