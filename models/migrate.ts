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
