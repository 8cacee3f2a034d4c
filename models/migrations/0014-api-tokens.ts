import type { Kysely } from 'kysely';

/**
 * Personal API tokens: a dashboard or integration acts as one person, with that person's role and
 * department scope. Only a hash is stored; deactivating the person ends every token at once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_token')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('official_id', 'bigint', (c) => c.notNull().references('official.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_token_official_idx').on('api_token').column('official_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_token').execute();
}
