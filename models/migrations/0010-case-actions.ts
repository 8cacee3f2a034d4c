import { type Kysely, sql } from 'kysely';

/**
 * What officials and operators do to a case besides answering it: extension requests (an official
 * asks, an operator decides), the pause while the case waits for the citizen, and merging duplicates.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('extension_request')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('case.id'))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('previous_deadline_at', 'timestamptz', (c) => c.notNull())
    .addColumn('requested_until', 'timestamptz', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('decided_by', 'text')
    .addColumn('decision_comment', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  // One open request per case: asking again while one waits changes nothing.
  await sql`create unique index extension_request_pending_idx on extension_request (case_id) where state = 'pending'`.execute(db);
  await db.schema
    .alterTable('case')
    .addColumn('paused_at', 'timestamptz')
    .addColumn('merged_into', 'bigint', (c) => c.references('case.id'))
    .addColumn('assignee_id', 'bigint', (c) => c.references('official.id'))
    .execute();
  await db.schema.alterTable('answer').addColumn('reviewed_by', 'text').addColumn('reviewed_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('answer').dropColumn('reviewed_at').dropColumn('reviewed_by').execute();
  await db.schema.alterTable('case').dropColumn('assignee_id').dropColumn('merged_into').dropColumn('paused_at').execute();
  await db.schema.dropTable('extension_request').execute();
}
