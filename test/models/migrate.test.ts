import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../models/database.js';
import { migrateToLatest } from '../../models/migrate.js';
import { migrations } from '../../models/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

describe('migrations', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase('migrate');
  });
  afterAll(async () => testDb.drop());

  it('when the database is empty, then every migration applies; run again, nothing happens', async () => {
    const first = await migrateToLatest(testDb.handle.db);
    expect(first.applied).toEqual(Object.keys(migrations));
    const second = await migrateToLatest(testDb.handle.db);
    expect(second.applied).toEqual([]);
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' order by 1`.execute(testDb.handle.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['audit_log', 'dead_letter']));
  });

  it('when two instances migrate one fresh database at once, then both succeed and each migration runs once', async () => {
    const fresh = await createTestDatabase('migrate_race');
    const instances = Array.from({ length: 3 }, () => openDatabase({ connectionString: fresh.url, max: 2 }));
    try {
      const reports = await Promise.all(instances.map((i) => migrateToLatest(i.db)));
      const applied = reports.flatMap((r) => r.applied);
      expect(applied.sort()).toEqual(Object.keys(migrations).sort());
      const rows = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(fresh.handle.db);
      expect(rows.rows[0]?.n).toBe(Object.keys(migrations).length);
    } finally {
      await Promise.all(instances.map((i) => i.close()));
      await fresh.drop();
    }
  });

  it('when someone tries to rewrite the audit log, then the database refuses', async () => {
    const db = testDb.handle.db;
    await db.insertInto('audit_log').values({ actor: 'test', action: 'created', entity: 'case', entity_id: '1' }).execute();
    await expect(db.updateTable('audit_log').set({ actor: 'someone else' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });
});
