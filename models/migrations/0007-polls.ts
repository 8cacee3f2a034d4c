import { type Kysely, sql } from 'kysely';

/** Satisfaction polls after a final answer: solved or not, a 1–5 rating, one reminder. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('poll')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().unique().references('case.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('solved', 'boolean')
    .addColumn('rating', 'integer')
    .addColumn('asked_at', 'timestamptz')
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('poll_rating_ck', sql`rating between 1 and 5`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('poll').execute();
}
