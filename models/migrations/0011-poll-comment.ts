import type { Kysely } from 'kysely';

/**
 * The poll's optional comment: «Добавить комментарий» stamps comment_requested_at, and the citizen's
 * next private message within the window becomes the comment instead of a new case or a follow-up.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('poll')
    .addColumn('comment_requested_at', 'timestamptz')
    .addColumn('comment', 'text')
    .addColumn('commented_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('poll')
    .dropColumn('commented_at')
    .dropColumn('comment')
    .dropColumn('comment_requested_at')
    .execute();
}
