import type { Kysely } from 'kysely';

/**
 * Why a scheduled broadcast did not start when it was due (docs/architecture/broadcasts.md): its
 * segment reached nobody then, or grew above the approval threshold with no approval. The sweep puts it
 * back to `draft` with this reason; starting or changing it clears the reason.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('broadcast').addColumn('not_started_reason', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('broadcast').dropColumn('not_started_reason').execute();
}
