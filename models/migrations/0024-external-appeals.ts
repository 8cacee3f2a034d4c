import { type Kysely, sql } from 'kysely';

/**
 * Appeals from other systems (ПОС, «Инцидент-менеджмент»): `external_appeal` maps each appeal's key
 * in its source system (source, external_id) to the one case it became, and keeps what the source
 * last said about it (status, answer, closing, rating), so a second delivery of the same appeal
 * applies only what changed and never opens a second case.
 *
 * A table of its own rather than columns on `message` or `case`: the key is the source system's, not
 * a messenger's, and the sync state is read and written only by ingest. The appeal's text is still a
 * `message` (channel `import`) of a `case`, so structuring, deadlines, answers and every metric see
 * it like any other.
 *
 * The author's phone and e-mail are citizen data, so they go beside the name on `citizen`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('citizen').addColumn('phone', 'text').addColumn('email', 'text').execute();
  await db.schema
    .createTable('external_appeal')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('case.id'))
    .addColumn('message_id', 'bigint', (c) => c.notNull().references('message.id'))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    // What the source said, as it said it (category and executor before mapping, its own status).
    .addColumn('source_category', 'text')
    .addColumn('source_department', 'text')
    .addColumn('source_status', 'text')
    // The case status the source's state was last moved to: a later local move stands until the source changes.
    .addColumn('applied_status', 'text')
    .addColumn('answer_text', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('rating', 'smallint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('external_appeal_pk', ['source', 'external_id'])
    .addUniqueConstraint('external_appeal_case_uq', ['case_id'])
    .addCheckConstraint('external_appeal_rating_ck', sql`rating between 1 and 5`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('external_appeal').execute();
  await db.schema.alterTable('citizen').dropColumn('phone').dropColumn('email').execute();
}
