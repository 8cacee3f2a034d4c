import { type Kysely, sql } from 'kysely';

/**
 * Decisions on the recommendations (regulation 2.2.9, 4.3). A recommendation itself is not stored: it is
 * derived from the period's figures at read time, and its id (rule, subject, period) is stable, so the
 * decision on it is keyed by that id. One row per recommendation: a later decision replaces the earlier
 * one; every decision is also appended to the audit trail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recommendation_decision')
    .addColumn('recommendation_id', 'text', (c) => c.primaryKey())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('accepted', 'dismissed')`))
    .addColumn('comment', 'text')
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('recommendation_decision').execute();
}
