import type { Kysely } from 'kysely';

/**
 * Settings of the deployment itself. `mode` records whether this database belongs to the sandbox
 * (simulated citizens and staff, drill deadlines) or to live channels; the app refuses to mix them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('app_setting').execute();
}
