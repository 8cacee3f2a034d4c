import { type RawBuilder, sql } from 'kysely';
import type { Executor } from './database.js';
import { problemAggregate } from './problem-facts.js';

/**
 * Where a problem (a cluster of cases) stands, derived from its cases (their facts, kept by the case
 * facts' refresher: models/problem-facts.ts) and the moment of the read:
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

/**
 * The problem list (regulation 2.2.7) with each problem's lifecycle status, volume and trend, in one
 * statement, aggregated from the cases and answers themselves: the reference, and the path while the
 * facts are being (re)built. `problemFactList` gives the same rows from the problems' facts.
 */
export async function problemList(db: Executor, q: ProblemListQuery): Promise<ProblemSummary[]> {
  const pc = sql`
    select c.id, c.problem_id, c.status, c.created_at, c.district, c.category, c.department,
      c.merged_into is not null as merged, f.last_final
    from "case" c
    left join (
      select a.case_id, max(coalesce(a.reviewed_at, a.created_at)) as last_final
      from answer a
      where a.kind = 'final' and a.state in ('queued', 'sent', 'recorded', 'blocked')
        and a.case_id in (select id from "case" where problem_id is not null)
      group by a.case_id
    ) f on f.case_id = c.id
    where c.problem_id is not null`;
  return listOver(db, q, { ctes: sql`${problemAggregate(pc)},`, source: sql`pagg` });
}

/**
 * The problem list from the problems' facts (models/problem-facts.ts; the caller refreshes them first):
 * one narrow row a problem, the default order a walk of its index; the trend is counted for the page's
 * problems only, or — sorted by growth — over the cases of the two windows.
 */
export async function problemFactList(db: Executor, q: ProblemListQuery): Promise<ProblemSummary[]> {
  return listOver(db, q, { ctes: sql``, source: sql`problem_fact` });
}

/** The list over `source`, a relation with problem_fact's columns (the table, or the direct aggregate). */
async function listOver(
  db: Executor,
  q: ProblemListQuery,
  from: { ctes: RawBuilder<unknown>; source: RawBuilder<unknown> },
): Promise<ProblemSummary[]> {
  const resolved = sql`make_interval(days => ${q.resolvedAfterDays})`;
  const window = sql`make_interval(days => ${q.windowDays})`;
  const now = sql`${q.now}::timestamptz`;
  const growth = q.sort === 'growth';
  const order = growth
    ? sql`(recent - previous) desc, recent desc, volume desc, id desc`
    : sql`volume desc, last_seen desc, id desc`;
  // Cases in the last window and the one before it, per problem (the growth order needs every problem's).
  const counted = sql`count(*) filter (where c.created_at >= ${now} - ${window}) as recent,
    count(*) filter (where c.created_at < ${now} - ${window}) as previous`;
  const span = sql`c.created_at >= ${now} - 2 * ${window} and c.created_at < ${now}`;
  // The cases of the problem `f` that came at least `resolvedAfterDays` after every earlier one had settled.
  const recurrences = sql`unnest(f.recur_prev, f.recur_at) as u(prev, at) where u.prev + ${resolved} <= u.at`;
  const rows = await sql<{
    id: string;
    title: string;
    category: string;
    district: string;
    status: ProblemStatus;
    volume: string;
    recent: string;
    previous: string;
    districts: string[];
    categories: string[];
    department: string | null;
    first_seen: Date;
    last_seen: Date;
    resolved_at: Date | null;
    recurrences: string;
  }>`
    with ${from.ctes}
    ${growth ? sql`trend as (select c.problem_id, ${counted} from "case" c where c.problem_id is not null and ${span} group by 1),` : sql``}
    st as (
      select f.problem_id as id, f.volume, f.last_seen,
        -- A recurrence is looked for only in a problem not resolved now (CASE stops at the first match).
        case
          when f.settled + ${resolved} <= ${now} then 'resolved'
          when exists (select 1 from ${recurrences}) then 'recurring'
          when f.worked then 'in_work'
          else 'open'
        end as status,
        case when f.settled + ${resolved} <= ${now} then f.settled + ${resolved} end as resolved_at
        ${growth ? sql`, coalesce(t.recent, 0) as recent, coalesce(t.previous, 0) as previous` : sql``}
      from ${from.source} f
      ${growth ? sql`left join trend t on t.problem_id = f.problem_id` : sql``}
      ${
        q.category || q.district
          ? sql`join problem p on p.id = f.problem_id
              ${q.category ? sql`and p.category = ${q.category}` : sql``}
              ${q.district ? sql`and p.district = ${q.district}` : sql``}`
          : sql``
      }
    ),
    page as (
      select * from st
      ${q.status ? sql`where status = ${q.status}` : sql``}
      order by ${order}
      limit ${q.limit} offset ${q.offset ?? 0}
    )
    -- What only the page's rows need: the problem's label, the recurrences counted, and (by volume) the
    -- trend. (A problem is never deleted while a case refers to it: the foreign key.)
    select page.*, p.title, p.category, p.district, f.districts, f.categories, f.department, f.first_seen,
      (select count(*) from ${recurrences}) as recurrences
      ${growth ? sql`` : sql`, t.recent, t.previous`}
    from page
    join ${from.source} f on f.problem_id = page.id
    join problem p on p.id = page.id
    ${growth ? sql`` : sql`cross join lateral (select ${counted} from "case" c where c.problem_id = page.id and ${span}) t`}
    order by ${order}`.execute(db);
  return rows.rows.map((r) => ({
    id: Number(r.id),
    title: r.title,
    category: r.category,
    district: r.district,
    status: r.status,
    volume: Number(r.volume),
    trend: { recent: Number(r.recent), previous: Number(r.previous), growth: Number(r.recent) - Number(r.previous) },
    districts: r.districts,
    categories: r.categories,
    department: r.department,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    resolvedAt: r.resolved_at,
    recurrences: Number(r.recurrences),
  }));
}
