import type { Kysely } from 'kysely';

/** An official's answer in progress in Telegram: which case, which kind, and a text held back by the quality gate. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('official')
    .addColumn('draft_case_id', 'bigint')
    .addColumn('draft_kind', 'text')
    .addColumn('draft_text', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('official').dropColumn('draft_text').dropColumn('draft_kind').dropColumn('draft_case_id').execute();
}
