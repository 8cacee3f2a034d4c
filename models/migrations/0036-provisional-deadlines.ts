import { type Kysely, sql } from 'kysely';

/**
 * Next year's production calendar (docs/operations/production-calendar.md):
 *  - `case.deadline_provisional`: the case's first or final deadline was counted on the Labour Code
 *    art. 112 fallback for a year the calendar did not list, so the year's decree may still move it.
 *    A constant default: PostgreSQL adds the column without rewriting the table.
 *  - one `calendar_missing` alert per ISO week (`details.week`), so the weekly job stays idempotent
 *    when it runs again (retries, several runs a week).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('case')
    .addColumn('deadline_provisional', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`create unique index alert_calendar_missing_week on alert ((details->>'week')) where kind = 'calendar_missing'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists alert_calendar_missing_week`.execute(db);
  await db.schema.alterTable('case').dropColumn('deadline_provisional').execute();
}
