import { sql } from 'kysely';
import type { Executor } from './database.js';

export interface DepartmentStats {
  department: string;
  /** Cases registered in the period and routed to the department. */
  cases: number;
  /** …of them with a final answer sent (or recorded). */
  answered: number;
  /** …whose time is up: answered, or past their deadline now (the base of the on-time share). */
  due: number;
  /** …answered (sent or approved) no later than their deadline. */
  answeredOnTime: number;
  /** Open cases past their deadline now. */
  overdue: number;
  /** Median hours from registration to the first answer of any kind (null: none yet). */
  medianFirstResponseHours: number | null;
  /** Citizens' ratings in the period and the share of 4–5 among them. */
  ratings: number;
  goodRatings: number;
}

/**
 * Per-department figures for cases registered in [from, to): volume, completeness, speed, ratings.
 * One statement. Answers held (until approved) or returned by an operator do not count; a case that
 * waits for the citizen is not overdue; a case with no deadline is never "on time".
 */
export async function departmentStats(db: Executor, from: Date, to: Date, now: Date): Promise<DepartmentStats[]> {
  const rows = await sql<{
    department: string;
    cases: string;
    answered: string;
    due: string;
    answered_on_time: string;
    overdue: string;
    median_first_hours: number | null;
    ratings: string;
    good_ratings: string;
  }>`
    with c as (
      select c.id, c.department, c.status, c.created_at, c.deadline_at,
        -- An answer counts from the moment it was let out: given, or approved by an operator when held.
        (select min(coalesce(a.reviewed_at, a.created_at)) from answer a
          where a.case_id = c.id and a.state in ('queued', 'sent', 'recorded', 'blocked')) as first_answer_at,
        (select min(coalesce(a.reviewed_at, a.created_at)) from answer a
          where a.case_id = c.id and a.kind = 'final' and a.state in ('queued', 'sent', 'recorded', 'blocked')) as final_answer_at,
        c.paused_at,
        (select p.rating from poll p where p.case_id = c.id) as rating
      from "case" c
      where c.department is not null and c.merged_into is null
        and c.created_at >= ${from} and c.created_at < ${to}
    )
    select department,
      count(*) as cases,
      count(final_answer_at) as answered,
      count(*) filter (where final_answer_at is not null or deadline_at < ${now}) as due,
      count(*) filter (where final_answer_at is not null and deadline_at is not null and final_answer_at <= deadline_at) as answered_on_time,
      count(*) filter (where final_answer_at is null and status not in ('answered', 'closed') and paused_at is null and deadline_at < ${now}) as overdue,
      percentile_cont(0.5) within group (order by extract(epoch from (first_answer_at - created_at)) / 3600)
        filter (where first_answer_at is not null) as median_first_hours,
      count(rating) as ratings,
      count(*) filter (where rating >= 4) as good_ratings
    from c
    group by department
    order by department`.execute(db);
  return rows.rows.map((r) => ({
    department: r.department,
    cases: Number(r.cases),
    answered: Number(r.answered),
    due: Number(r.due),
    answeredOnTime: Number(r.answered_on_time),
    overdue: Number(r.overdue),
    medianFirstResponseHours: r.median_first_hours === null ? null : Math.round(Number(r.median_first_hours) * 10) / 10,
    ratings: Number(r.ratings),
    goodRatings: Number(r.good_ratings),
  }));
}
