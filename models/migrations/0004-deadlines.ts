import type { Kysely } from 'kysely';

/** The first-response deadline beside the final one (`deadline_at`), and the regime that set both. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('case')
    .addColumn('first_response_due_at', 'timestamptz')
    .addColumn('regime', 'text')
    .addColumn('latest_deadline_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('case_deadline_idx').on('case').columns(['status', 'deadline_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('case_deadline_idx').execute();
  await db.schema
    .alterTable('case')
    .dropColumn('latest_deadline_at')
    .dropColumn('regime')
    .dropColumn('first_response_due_at')
    .execute();
}
