import { sql } from 'kysely';
import { OPEN_STATUSES } from './case-repository.js';
import type { Executor } from './database.js';

/**
 * The figures /metrics reads from the database at scrape time (docs/operations/observability.md).
 * Each is one bounded statement on an index: the scrape is cached for a few seconds by the caller,
 * so a scrape storm costs the database one round of these per cache period.
 */

/** Open cases of a department (null: not routed yet), and how many of them are overdue. */
export interface DepartmentCaseCounts {
  department: string | null;
  open: number;
  overdue: number;
}

/**
 * Open cases per department, and the overdue ones: open, not waiting for the citizen (a paused case's
 * clock is stopped) and past their final deadline — the console's «Сроки» definition. The unpaused
 * ones are an index-only scan of case_open_deadline_idx (migration 0033: exactly those rows, with the
 * department included); the paused ones, few, come from case_deadline_idx (status, deadline_at).
 */
export async function caseCountsByDepartment(db: Executor, now: Date): Promise<DepartmentCaseCounts[]> {
  const rows = await sql<{ department: string | null; open: string; overdue: string }>`
    select department, sum(open)::bigint as open, sum(overdue)::bigint as overdue from (
      select department, count(*) as open, count(*) filter (where deadline_at < ${now}) as overdue
      from "case"
      where status in (${sql.join(OPEN_STATUSES)}) and paused_at is null
      group by department
      union all
      select department, count(*) as open, 0 as overdue
      from "case"
      where status in (${sql.join(OPEN_STATUSES)}) and paused_at is not null
      group by department
    ) t
    group by department`.execute(db);
  return rows.rows.map((r) => ({ department: r.department, open: Number(r.open), overdue: Number(r.overdue) }));
}

/** Dead letters kept and not replayed, by source (what an operator still has to look at). */
export async function deadLettersBySource(db: Executor): Promise<{ source: string; count: number }[]> {
  const rows = await db
    .selectFrom('dead_letter')
    .select(['source', (eb) => eb.fn.countAll<string>().as('count')])
    .where('replayed_at', 'is', null)
    .groupBy('source')
    .execute();
  return rows.map((r) => ({ source: r.source, count: Number(r.count) }));
}

/** A queue's jobs waiting (created or retry, as pg-boss's getQueueSize counts) and the age of the oldest one due. */
export interface QueueLag {
  queue: string;
  waiting: number;
  /** How long the oldest job whose start time has come has waited for a worker; 0 when none is due. */
  lagSeconds: number;
}

/**
 * Every queue in one statement: pg-boss keeps a queue's jobs in its own partition of `<schema>.job`,
 * each with the partial index job_i5 (name, start_after) where state < 'active' — the rows read are
 * exactly the waiting jobs (deferred ones, e.g. reminders due next week, included in `waiting`).
 */
export async function queueLags(db: Executor, schema: string): Promise<QueueLag[]> {
  const rows = await sql<{ name: string; waiting: string; lag: number | null }>`
    select name, count(*) as waiting,
      extract(epoch from now() - min(start_after) filter (where start_after <= now()))::float8 as lag
    from ${sql.table(`${schema}.job`)}
    where state < 'active'
    group by name`.execute(db);
  return rows.rows.map((r) => ({ queue: r.name, waiting: Number(r.waiting), lagSeconds: Math.max(0, r.lag ?? 0) }));
}
