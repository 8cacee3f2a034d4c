import { type Kysely, sql } from 'kysely';

/**
 * The web console's sign-in (docs/architecture/console.md).
 *
 * - `console_login_link`: a one-time link the staff bot sends on /login; only the token's hash is kept,
 *   it expires after 5 minutes and is spent by the first sign-in.
 * - `console_session`: a signed-in browser; the cookie holds the session's secret, the row its hash, the
 *   CSRF token every form carries, and when it was last used (a working day of inactivity ends it).
 *   `ended_at` is set by signing out, «выйти везде» and deactivation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_login_link')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('official_id', 'bigint', (c) => c.notNull().references('official.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('console_session')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('official_id', 'bigint', (c) => c.notNull().references('official.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .execute();
  await sql`create index console_session_official on console_session (official_id) where ended_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('console_session').ifExists().execute();
  await db.schema.dropTable('console_login_link').ifExists().execute();
}
