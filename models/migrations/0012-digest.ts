import { type Kysely, sql } from 'kysely';

/**
 * The morning digest: one row per person and local date, inserted in the same transaction that
 * enqueues its Telegram message, so a second instance or a re-run of the day's job sends nothing twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('digest')
    .addColumn('official_id', 'bigint', (c) => c.notNull().references('official.id'))
    .addColumn('local_date', 'date', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('outcome', 'text')
    .addPrimaryKeyConstraint('digest_pk', ['official_id', 'local_date'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('digest').execute();
}
