import { type Kysely, Migrator, sql } from 'kysely';
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

  it('when a database bound Telegram accounts before staff accounts, then each moves to official_account and Telegram is preferred', async () => {
    const old = await createTestDatabase('migrate_accounts');
    try {
      const migrator = new Migrator({
        db: old.handle.db as unknown as Kysely<unknown>,
        provider: { getMigrations: async () => migrations },
      });
      expect((await migrator.migrateTo('0022-intent-question')).error).toBeUndefined();
      await sql`
        insert into official (name, department, role, telegram_user_id, created_at, bound_at) values
          ('Bound', 'roads-transport', 'official', '424242', '2026-01-10T03:00:00Z', '2026-01-11T03:00:00Z'),
          ('Never bound', 'mcu', 'operator', null, '2026-01-10T03:00:00Z', null),
          ('Bound long ago', 'mcu', 'head', '777', '2025-05-01T03:00:00Z', null)`.execute(old.handle.db);

      expect((await migrateToLatest(old.handle.db)).applied).toContain('0023-staff-accounts');
      const accounts = await old.handle.db
        .selectFrom('official_account')
        .innerJoin('official', 'official.id', 'official_account.official_id')
        .select(['official.name', 'channel', 'user_id', 'chat_id', 'official_account.bound_at', 'blocked_at'])
        .orderBy('official.id')
        .execute();
      expect(accounts).toEqual([
        {
          name: 'Bound',
          channel: 'telegram',
          user_id: '424242',
          chat_id: '424242',
          bound_at: new Date('2026-01-11T03:00:00Z'),
          blocked_at: null,
        },
        // No binding time recorded: the person's creation stands in for it.
        {
          name: 'Bound long ago',
          channel: 'telegram',
          user_id: '777',
          chat_id: '777',
          bound_at: new Date('2025-05-01T03:00:00Z'),
          blocked_at: null,
        },
      ]);
      const people = await old.handle.db.selectFrom('official').select(['name', 'preferred_channel']).orderBy('id').execute();
      expect(people).toEqual([
        { name: 'Bound', preferred_channel: 'telegram' },
        { name: 'Never bound', preferred_channel: null },
        { name: 'Bound long ago', preferred_channel: 'telegram' },
      ]);
      const column = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.columns
        where table_name = 'official' and column_name = 'telegram_user_id'`.execute(old.handle.db);
      expect(column.rows[0]?.n).toBe(0);
    } finally {
      await old.drop();
    }
  });

  it('when someone tries to rewrite the audit log, then the database refuses', async () => {
    const db = testDb.handle.db;
    await db.insertInto('audit_log').values({ actor: 'test', action: 'created', entity: 'case', entity_id: '1' }).execute();
    await expect(db.updateTable('audit_log').set({ actor: 'someone else' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });
});
