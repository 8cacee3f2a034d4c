import { type Kysely, sql } from 'kysely';

/**
 * The weekly report (regulation 2.1.5, 4.3): one row per person and week (the local date of its Monday),
 * inserted in the same transaction that enqueues that person's send, so a second instance, a re-run of
 * the planning job or a duplicate send job sends nothing twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('weekly_report')
    .addColumn('official_id', 'bigint', (c) => c.notNull().references('official.id'))
    .addColumn('week_start', 'date', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('outcome', 'text')
    .addPrimaryKeyConstraint('weekly_report_pk', ['official_id', 'week_start'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('weekly_report').execute();
}
