import { type Kysely, sql } from 'kysely';

/**
 * Ratings, the problem list and the heat map (docs/architecture/ratings.md) read cases by period and
 * the few audit entries that move a case's clock (pauses, resumptions, reopenings). No new columns:
 * working time is computed in SQL against the calendar the query is given, so nothing needs a backfill.
 * These indexes keep a year of a million cases a scan of what the period holds, not of the whole trail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('case_created_idx').on('case').columns(['created_at', 'department']).execute();
  await sql`create index case_problem_idx on "case" (problem_id, created_at) where problem_id is not null`.execute(db);
  await sql`create index audit_log_case_pause_idx on audit_log (entity_id, created_at)
    where entity = 'case' and action in ('paused', 'resumed')`.execute(db);
  await sql`create index audit_log_case_reopen_idx on audit_log (entity_id)
    where entity = 'case' and action = 'status_changed' and details->>'to' = 'reopened'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists audit_log_case_reopen_idx`.execute(db);
  await sql`drop index if exists audit_log_case_pause_idx`.execute(db);
  await sql`drop index if exists case_problem_idx`.execute(db);
  await sql`drop index if exists case_created_idx`.execute(db);
}
