import { sql } from 'kysely';
import type { Executor } from './database.js';

/** One cell of the heat map: a district and a category, the cases registered in the period and how many of them are overdue. */
export interface HeatCell {
  district: string;
  category: string;
  cases: number;
  /** Answered after the deadline, or still open past it now (a case waiting for the citizen is not overdue). */
  overdue: number;
}

/**
 * Cases registered in [from, to) by district and category (merged duplicates left out, as are cases
 * without a district or a category), one statement; only the cells that have cases.
 */
export async function heatCells(db: Executor, p: { from: Date; to: Date; now: Date }): Promise<HeatCell[]> {
  const rows = await sql<{ district: string; category: string; cases: string; overdue: string }>`
    with c as (
      select c.id, c.district, c.category, c.status, c.deadline_at, c.paused_at
      from "case" c
      where c.created_at >= ${p.from} and c.created_at < ${p.to}
        and c.merged_into is null and c.district is not null and c.category is not null
    ),
    out as (
      select a.case_id, min(coalesce(a.reviewed_at, a.created_at)) as final_out
      from answer a
      where a.case_id in (select id from c) and a.kind = 'final' and a.state in ('queued', 'sent', 'recorded', 'blocked')
      group by a.case_id
    )
    select c.district, c.category, count(*) as cases,
      count(*) filter (where c.deadline_at is not null and (
        (out.final_out is not null and out.final_out > c.deadline_at)
        or (out.final_out is null and c.status not in ('answered', 'closed') and c.paused_at is null and c.deadline_at < ${p.now})
      )) as overdue
    from c left join out on out.case_id = c.id
    group by c.district, c.category
    order by c.district, c.category`.execute(db);
  return rows.rows.map((r) => ({
    district: r.district,
    category: r.category,
    cases: Number(r.cases),
    overdue: Number(r.overdue),
  }));
}
