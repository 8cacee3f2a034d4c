import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

describe('mcu officials invite', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase('cli_officials');
  });
  afterAll(async () => testDb.drop());

  const mcu = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/mcu.js', 'officials', 'invite', ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDb.url },
      encoding: 'utf8',
    });

  it('when run with a name, department and role, then it prints a single-use t.me link and stores the person', async () => {
    const result = mcu(
      '--name',
      'Иванова А. П.',
      '--department',
      'adm-industrial',
      '--role',
      'official',
      '--bot',
      '@mcu_barnaul_bot',
    );
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^https:\/\/t\.me\/mcu_barnaul_bot\?start=[A-Za-z0-9_-]{32}$/);
    const people = await testDb.handle.db.selectFrom('official').select(['name', 'department', 'role']).execute();
    expect(people).toEqual([{ name: 'Иванова А. П.', department: 'adm-industrial', role: 'official' }]);
  });

  it('when the role or department is wrong or missing, then exit 2 with one line', () => {
    const wrong = mcu('--name', 'X', '--department', 'adm-industrial', '--role', 'emperor');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/unknown role "emperor"/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
    expect(mcu('--name', 'X').status).toBe(2);
  });
});
