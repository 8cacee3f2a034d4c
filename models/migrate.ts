import { type Kysely, type MigrationResult, Migrator, sql } from 'kysely';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

/** An arbitrary constant: every instance takes the same session-level advisory lock. */
const MIGRATION_LOCK_KEY = 0x6d6375_01; // "mcu" + 1

export interface MigrationReport {
  applied: string[];
}

/**
 * Brings the schema to the latest version. Safe when several instances start at once: the whole
 * run, including Kysely's own bookkeeping tables, happens under one advisory lock, so the second
 * instance waits and then finds nothing to do.
 */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      const migrator = new Migrator({
        db: conn as unknown as Kysely<unknown>,
        provider: { getMigrations: async () => migrations },
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((r: MigrationResult) => r.status === 'Error');
        throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`, { cause: error });
      }
      return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

/**
 * The migrations this build knows that the database has not applied (for /health/ready): one read of
 * Kysely's bookkeeping table. An instance started before a newer one migrated is still ready; one whose
 * migrations are missing (its start's migration failed, the table was restored from an old dump) is not.
 */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const done = new Set(applied.rows.map((r) => r.name));
  return Object.keys(migrations).filter((name) => !done.has(name));
}
