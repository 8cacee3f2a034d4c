import { sql } from 'kysely';
import type { Executor } from './database.js';

/** Statuses in which a case still waits for its final answer (answered and closed ones are done). */
const DONE_STATUSES = ['answered', 'closed'] as const;

/** Open cases whose deadline was counted on the Labour Code fallback (docs/operations/production-calendar.md). */
export async function countProvisionalOpenCases(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('case')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('deadline_provisional', '=', true)
    .where('status', 'not in', DONE_STATUSES)
    .where('merged_into', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * The week's alert about a missing production-calendar year; undefined when this ISO week already has
 * one (the unique index of migration 0036 on `details.week` decides, also between concurrent runs).
 */
export async function insertCalendarAlert(
  db: Executor,
  a: { week: string; missing: readonly number[]; provisionalOpenCases: number },
  at: Date,
): Promise<number | undefined> {
  const row = await db
    .insertInto('alert')
    .values({
      kind: 'calendar_missing',
      case_id: null,
      problem_id: null,
      details: JSON.stringify({ week: a.week, missing: a.missing, provisionalOpenCases: a.provisionalOpenCases }),
      created_at: at,
    })
    .onConflict((oc) => oc.expression(sql`(details->>'week')`).where('kind', '=', 'calendar_missing').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}
