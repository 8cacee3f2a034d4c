import { type Kysely, sql } from 'kysely';

/** Photos an official attaches to an answer (Telegram file ids), and on a draft held back by the quality gate. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('answer')
    .addColumn('photos', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema.alterTable('official').addColumn('draft_photos', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('official').dropColumn('draft_photos').execute();
  await db.schema.alterTable('answer').dropColumn('photos').execute();
}
