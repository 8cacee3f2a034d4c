import { type RawBuilder, sql } from 'kysely';
import type { Executor } from './database.js';

/**
 * The problems' facts (migration 0033, docs/architecture/ratings.md#the-problem-list-22-7): per
 * problem, what its lifecycle and the list read that does not depend on the moment of the read, kept
 * from the case facts by their refresher (models/case-facts.ts) in the same transaction, for the
 * problems whose cases it recomputed. The moment's part — resolved by now, the trend — is the read's
 * (models/problem-lifecycle.ts). The direct list aggregates the cases and answers with the same SQL.
 */

/**
 * Per problem, from its cases `pc` (id, problem_id, status, created_at, district, category, department,
 * merged, last_final: the last final answer let out), the CTEs `s`, `ordered` and `pagg`; `pagg` has
 * problem_fact's columns:
 *  - `settled`: when its last case stopped needing work (its last final answer, for a case answered or
 *    closed; 'infinity' while any case is open or reopened);
 *  - `worked`: some case not merged away was taken, answered, closed or reopened;
 *  - `recur_prev`, `recur_at`: for each case that came when every earlier case had settled, when the
 *    last of them did and when it came — a recurrence when it came at least `problemResolvedAfterDays`
 *    later, which the read applies (so the setting can change without a rebuild);
 *  - its districts and categories, the department most of its cases went to, the first and last case.
 */
export function problemAggregate(pc: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    pc as (${pc}),
    s as (
      select pc.*,
        case when pc.status in ('answered', 'closed') then coalesce(pc.last_final, pc.created_at)
          else 'infinity'::timestamptz end as settled,
        not pc.merged and pc.status in ('in_progress', 'interim_replied', 'reopened', 'answered', 'closed') as worked
      from pc
    ),
    ordered as (
      select s.*,
        max(s.settled) over (partition by s.problem_id order by s.created_at, s.id
          rows between unbounded preceding and 1 preceding) as prev_settled
      from s
    ),
    pagg as (
      select problem_id,
        count(*)::int as volume,
        min(created_at) as first_seen,
        max(created_at) as last_seen,
        max(settled) as settled,
        bool_or(worked) as worked,
        -- Both in the same order, so the read pairs them up (unnest of the two).
        coalesce(array_agg(prev_settled order by created_at, id) filter (where prev_settled < 'infinity'), '{}') as recur_prev,
        coalesce(array_agg(created_at order by created_at, id) filter (where prev_settled < 'infinity'), '{}') as recur_at,
        coalesce(array_agg(distinct district order by district) filter (where district is not null), '{}') as districts,
        coalesce(array_agg(distinct category order by category) filter (where category is not null), '{}') as categories,
        mode() within group (order by department) filter (where department is not null) as department
      from ordered
      group by problem_id
    )`;
}

/** The problems' cases as their facts have them (the refresher's source). */
const factCases = (problems: readonly number[]) => sql`
  select case_id as id, problem_id, status, created_at, district, category, department, merged, last_final_out as last_final
  from case_fact
  where problem_id = any(${problems}::bigint[])`;

/**
 * Recomputes the rows of `problems` from their cases' facts (a problem left without cases loses its
 * row). The caller has just rewritten the facts of some cases and passes every problem they were or
 * are in, so each row stays the aggregate of its problem's facts.
 */
export async function writeProblemFacts(tx: Executor, problems: readonly number[]): Promise<void> {
  if (problems.length === 0) return;
  await sql`delete from problem_fact where problem_id = any(${problems}::bigint[])`.execute(tx);
  await sql`
    with ${problemAggregate(factCases(problems))}
    insert into problem_fact (problem_id, volume, first_seen, last_seen, settled, worked, recur_prev, recur_at,
      districts, categories, department)
    select problem_id, volume, first_seen, last_seen, settled, worked, recur_prev, recur_at, districts, categories, department
    from pagg`.execute(tx);
}
