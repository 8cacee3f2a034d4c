import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** `mcu import` on the fixtures of test/fixtures/import/ (invented appeals, no real people). */
describe('mcu import', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase('cli_import');
  });
  afterAll(async () => testDb.drop());

  const mcu = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/mcu.js', 'import', ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDb.url, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
  const cases = async () => (await testDb.handle.db.selectFrom('case').select('id').execute()).length;

  it('when a ПОС CSV is imported, then a summary with broken rows by line; the same file again changes nothing', async () => {
    const first = mcu('--source', 'pos', '--input', 'test/fixtures/import/pos-export.csv');
    expect(first.stderr).toContain('6/6 rows');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^created: 4\nupdated: 0\nunchanged: 0\nrejected: 2\n {2}line 6: Дата создания: not a date/);
    expect(first.stdout).toContain('line 7: Текст сообщения: is required');
    expect(await cases()).toBe(4);
    // Nothing personal in what the command prints.
    expect(first.stdout + first.stderr).not.toMatch(/Иван|\+7 9/);

    const second = mcu('--source', 'pos', '--input', 'test/fixtures/import/pos-export.csv');
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^created: 0\nupdated: 0\nunchanged: 4\n/);
    expect(await cases()).toBe(4);
  });

  it('when the file is windows-1251 or XLSX, then it is read; a file of another system exits 1 naming the missing columns', async () => {
    const cp1251 = mcu('--source', 'pos', '--input', 'test/fixtures/import/pos-export-cp1251.csv');
    expect(cp1251.status).toBe(0);
    expect(cp1251.stderr).toContain('read as windows-1251');
    expect(cp1251.stdout).toMatch(/^created: 2\n/);

    const xlsx = mcu('--source', 'im', '--input', 'test/fixtures/import/im-export.xlsx');
    expect(xlsx.status).toBe(0);
    expect(xlsx.stdout).toMatch(/^created: 2\nupdated: 0\nunchanged: 0\nrejected: 1\n {2}line 4: Дата регистрации: not a date/);

    const other = mcu('--source', 'pos', '--input', 'test/fixtures/import/other-system.csv');
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(
      /missing columns Номер сообщения \(externalId\), Дата создания \(receivedAt\), Текст сообщения \(text\)/,
    );
    expect(await cases()).toBe(8);
  });

  it('when the source is unknown or the file is missing, then exit 2 with one line', () => {
    const unknown = mcu('--source', 'twitter', '--input', 'test/fixtures/import/pos-export.csv');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown source "twitter"; known: pos, im/);
    const missing = mcu('--source', 'pos', '--input', 'no-such.csv');
    expect(missing.status).toBe(2);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
