import { type Kysely, sql } from 'kysely';

/** Officials and МЦУ staff with their roles and departments, and single-use expiring invites. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('official')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('telegram_user_id', 'text', (c) => c.unique())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('bound_at', 'timestamptz')
    .addColumn('deactivated_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('invite')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('official_id', 'bigint', (c) => c.notNull().references('official.id'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('invite').execute();
  await db.schema.dropTable('official').execute();
}
