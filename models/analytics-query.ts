import { type RawBuilder, sql } from 'kysely';
import type { Executor } from './database.js';

/**
 * The ratings' figures (regulation 2.2.6), set-based: one statement per period over the cases, their
 * answers, polls and the audit entries that move their clock. Every formula is explained in
 * docs/architecture/ratings.md; nothing here reads a citizen's text.
 */

// ---------------------------------------------------------------------------------------------
// Working time in SQL
// ---------------------------------------------------------------------------------------------

/**
 * The working calendar of a span of local dates, as the query's parameters: one row per date with the
 * working seconds of all dates before it (`cum`) and up to two working intervals (lunch splits a day).
 * Built by the caller from the app's own WorkingCalendar, so SQL and the deadline engine agree.
 */
export interface CalendarDays {
  /** Local dates "YYYY-MM-DD", consecutive. */
  days: string[];
  /** Working seconds from the first date's start to this date's start. */
  cum: number[];
  a1: (Date | null)[];
  b1: (Date | null)[];
  a2: (Date | null)[];
  b2: (Date | null)[];
  timeZone: string;
}

const daysCte = (c: CalendarDays) => sql`
  select * from unnest(${c.days}::date[], ${c.cum}::float8[], ${c.a1}::timestamptz[], ${c.b1}::timestamptz[],
    ${c.a2}::timestamptz[], ${c.b2}::timestamptz[]) as d(day, cum, a1, b1, a2, b2)`;

/**
 * W(t): working seconds from the calendar's first date to the instant `t`, read from the row `d` of
 * `days` joined on t's local date. Monotonic, so working time between a and b is W(b) − W(a), and
 * W(least(a, b)) = least(W(a), W(b)). GREATEST skips a NULL (a day off has no intervals).
 */
const w = (d: string, t: string) =>
  sql.raw(
    `(${d}.cum + greatest(0, extract(epoch from least(${t}, ${d}.b1) - ${d}.a1))` +
      ` + greatest(0, extract(epoch from least(${t}, ${d}.b2) - ${d}.a2)))`,
  );
const localDay = (t: string, tz: string): RawBuilder<unknown> => sql`(${sql.raw(t)} at time zone ${tz})::date`;

// ---------------------------------------------------------------------------------------------
// Ratings
// ---------------------------------------------------------------------------------------------

/** One department's raw figures for the cases it received in a period. */
export interface DepartmentFigures {
  department: string;
  cases: number;
  answered: number;
  /** Answered, or past the deadline now and not waiting for the citizen: the base of the on-time share. */
  due: number;
  answeredOnTime: number;
  /** Working hours (paused time excluded); null when no case has the answer. */
  firstResponse: { median: number | null; p90: number | null };
  finalAnswer: { median: number | null; p90: number | null };
  /** Final answers written by the department's people (copies to merged duplicates left out). */
  finalAnswers: number;
  /** …of them passed the quality gate as written (not held, not forced). */
  cleanAnswers: number;
  /** …held for an operator (approved, rejected or still waiting). */
  heldAnswers: number;
  /** …weak answers that went out without a hold (forced with `holdForApproval: false`). */
  forcedAnswers: number;
  /** Moves to `reopened`, each counted (a case reopened twice counts twice). */
  reopenings: number;
  /** Cases opened within the repeat window after an earlier case of the same problem and district was answered. */
  repeats: number;
  polled: number;
  pollsAnswered: number;
  rated: number;
  rated45: number;
  ratingSum: number;
}

export interface RatingPeriod {
  from: Date;
  to: Date;
  now: Date;
  repeatWindowDays: number;
  calendar: CalendarDays;
  /** One row for the whole city (department `*`) instead of one per department: the weekly report's totals. */
  wholeCity?: boolean;
}

const LET_OUT = sql`('queued', 'sent', 'recorded', 'blocked')`;

/**
 * Per case of `c0` (a CTE body selecting cases with at least id, created_at, deadline_at, paused_at):
 * the CTEs `days` … `t`, where `t` is `c0`'s columns plus when the first and final answers were let out
 * (`first_out`, `final_out`; the last final answer `last_final_out`) and their durations in working hours, paused time excluded (`first_h`,
 * `final_h`); and beside it `quality` (final answers by completeness) and `reopens`, per case. The
 * direct ratings below and the facts table (models/case-facts.ts) both use it, so the two compute
 * every per-case figure with the same SQL.
 */
export function perCaseCtes(c0: RawBuilder<unknown>, p: { calendar: CalendarDays; now: Date }): RawBuilder<unknown> {
  const tz = p.calendar.timeZone;
  return sql`
    days as (${daysCte(p.calendar)}),
    c0 as (${c0}),
    -- When each case's answers were let out: given, or approved by an operator when held.
    out as (
      select a.case_id,
        min(coalesce(a.reviewed_at, a.created_at)) as first_out,
        min(coalesce(a.reviewed_at, a.created_at)) filter (where a.kind = 'final') as final_out,
        -- The last one: when a problem's case settled (the problem facts, models/problem-facts.ts).
        max(coalesce(a.reviewed_at, a.created_at)) filter (where a.kind = 'final') as last_final_out
      from answer a
      where a.case_id in (select id from c0) and a.state in ${LET_OUT}
      group by a.case_id
    ),
    c as (
      select c0.*, out.first_out, out.final_out, out.last_final_out,
        ${w('dc', 'c0.created_at')} as w_created,
        ${w('df', 'out.first_out')} as w_first,
        ${w('dl', 'out.final_out')} as w_final
      from c0
      left join out on out.case_id = c0.id
      join days dc on dc.day = ${localDay('c0.created_at', tz)}
      left join days df on df.day = ${localDay('out.first_out', tz)}
      left join days dl on dl.day = ${localDay('out.final_out', tz)}
    ),
    -- The case waited for the citizen: each resumption records when its pause began; a pause still
    -- running lasts until now; a last pause ended by the final answer (no resumption) lasts until it.
    pause_log as (
      select l.entity_id::bigint as case_id, l.action, l.created_at, l.details
      from audit_log l
      where l.entity = 'case' and l.action in ('paused', 'resumed')
        and l.entity_id in (select id::text from c0)
    ),
    last_resume as (
      select case_id, max(created_at) as at from pause_log where action = 'resumed' group by case_id
    ),
    pauses as (
      select case_id, (details->>'pausedAt')::timestamptz as s, created_at as e from pause_log where action = 'resumed'
      union all
      select id, paused_at, ${p.now} from c where paused_at is not null
      union all
      select c.id, t.s, c.final_out
      from c
      join (
        select pl.case_id, min(pl.created_at) as s
        from pause_log pl left join last_resume r on r.case_id = pl.case_id
        where pl.action = 'paused' and pl.created_at > coalesce(r.at, '-infinity')
        group by pl.case_id
      ) t on t.case_id = c.id
      where c.paused_at is null and c.final_out > t.s
    ),
    paused as (
      select c.id,
        sum(greatest(0, least(${w('de', 'pauses.e')}, c.w_first) - ${w('ds', 'pauses.s')})) as before_first,
        sum(greatest(0, least(${w('de', 'pauses.e')}, c.w_final) - ${w('ds', 'pauses.s')})) as before_final
      from pauses
      join c on c.id = pauses.case_id
      join days ds on ds.day = ${localDay('pauses.s', tz)}
      join days de on de.day = ${localDay('pauses.e', tz)}
      group by c.id
    ),
    reopens as (
      select l.entity_id::bigint as case_id, count(*) as n
      from audit_log l
      where l.entity = 'case' and l.action = 'status_changed' and l.details->>'to' = 'reopened'
        and l.entity_id in (select id::text from c0)
      group by 1
    ),
    quality as (
      select a.case_id,
        count(*) as finals,
        count(*) filter (where coalesce((a.quality->>'ok')::boolean, true)) as clean,
        count(*) filter (where a.state = 'held' or a.reviewed_at is not null) as held,
        count(*) filter (where (a.quality->>'ok')::boolean = false and a.state <> 'held' and a.reviewed_at is null) as forced
      from answer a
      where a.case_id in (select id from c0) and a.kind = 'final' and not (a.quality ? 'copyOf')
      group by a.case_id
    ),
    t as (
      select c.*,
        (c.w_first - c.w_created - coalesce(paused.before_first, 0)) / 3600.0 as first_h,
        (c.w_final - c.w_created - coalesce(paused.before_final, 0)) / 3600.0 as final_h
      from c left join paused on paused.id = c.id
    )`;
}

/**
 * Raw figures per department for the cases registered in [from, to) (cases merged into another left
 * out), computed directly from the cases, answers, polls and audit trail: what the facts table holds,
 * derived at read time. The ratings use the facts (handlers/analytics/case-facts.ts); this path is
 * their reference and the fallback while the facts are being (re)built.
 */
export async function departmentFigures(db: Executor, p: RatingPeriod): Promise<DepartmentFigures[]> {
  const c0 = sql`
      select c.id, c.department, c.district, c.problem_id, c.created_at, c.deadline_at, c.paused_at
      from "case" c
      where c.created_at >= ${p.from} and c.created_at < ${p.to}
        and c.department is not null and c.merged_into is null`;
  const rows = await sql<Record<string, string | number | null>>`
    with ${perCaseCtes(c0, p)},
    -- Earlier answered cases of the same problems, for the repeats.
    earlier as (
      select e.problem_id, e.district, min(coalesce(a.reviewed_at, a.created_at)) as final_out
      from "case" e
      join answer a on a.case_id = e.id and a.kind = 'final' and a.state in ${LET_OUT}
      where e.problem_id in (select problem_id from c0 where problem_id is not null) and e.merged_into is null
      group by e.id, e.problem_id, e.district
    ),
    repeats as (
      select c0.id from c0
      where c0.problem_id is not null and exists (
        select 1 from earlier e
        where e.problem_id = c0.problem_id and e.district is not distinct from c0.district
          and e.final_out < c0.created_at
          and e.final_out >= c0.created_at - make_interval(days => ${p.repeatWindowDays})
      )
    )
    select ${p.wholeCity ? sql.raw(`'*'::text`) : sql.raw('t.department')} as department,
      count(*) as cases,
      count(t.final_out) as answered,
      count(*) filter (where t.final_out is not null or (t.deadline_at < ${p.now} and t.paused_at is null)) as due,
      count(*) filter (where t.final_out <= t.deadline_at) as answered_on_time,
      percentile_cont(0.5) within group (order by t.first_h) as first_p50,
      percentile_cont(0.9) within group (order by t.first_h) as first_p90,
      percentile_cont(0.5) within group (order by t.final_h) as final_p50,
      percentile_cont(0.9) within group (order by t.final_h) as final_p90,
      coalesce(sum(q.finals), 0) as finals,
      coalesce(sum(q.clean), 0) as clean,
      coalesce(sum(q.held), 0) as held,
      coalesce(sum(q.forced), 0) as forced,
      coalesce(sum(r.n), 0) as reopenings,
      count(rp.id) as repeats,
      count(pl.asked_at) as polled,
      count(*) filter (where pl.state = 'answered') as polls_answered,
      count(pl.rating) as rated,
      count(*) filter (where pl.rating >= 4) as rated45,
      coalesce(sum(pl.rating), 0) as rating_sum
    from t
    left join quality q on q.case_id = t.id
    left join reopens r on r.case_id = t.id
    left join repeats rp on rp.id = t.id
    left join poll pl on pl.case_id = t.id
    group by 1
    order by 1`.execute(db);
  return rows.rows.map(toFigures);
}

/** A row of per-department aggregates (either path's) as DepartmentFigures. */
export function toFigures(r: Record<string, string | number | null>): DepartmentFigures {
  const n = (v: string | number | null | undefined) => Number(v ?? 0);
  const h = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
  return {
    department: String(r.department),
    cases: n(r.cases),
    answered: n(r.answered),
    due: n(r.due),
    answeredOnTime: n(r.answered_on_time),
    firstResponse: { median: h(r.first_p50), p90: h(r.first_p90) },
    finalAnswer: { median: h(r.final_p50), p90: h(r.final_p90) },
    finalAnswers: n(r.finals),
    cleanAnswers: n(r.clean),
    heldAnswers: n(r.held),
    forcedAnswers: n(r.forced),
    reopenings: n(r.reopenings),
    repeats: n(r.repeats),
    polled: n(r.polled),
    pollsAnswered: n(r.polls_answered),
    rated: n(r.rated),
    rated45: n(r.rated45),
    ratingSum: n(r.rating_sum),
  };
}
