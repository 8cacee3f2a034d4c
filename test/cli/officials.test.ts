import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedOfficial } from '../helpers/rows.js';

describe('mcu officials', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase('cli_officials');
  });
  afterAll(async () => testDb.drop());

  const officials = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/mcu.js', 'officials', ...args], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: testDb.url },
      encoding: 'utf8',
    });
  const mcu = (...args: string[]) => officials('invite', ...args);

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

  it('when --channel max is given, then the link opens MAX; --id invites someone already invited; a wrong --channel or --id exits 2', async () => {
    const max = mcu('--name', 'Петрова', '--department', 'mcu', '--role', 'operator', '--channel', 'max', '--bot', 'mcu_max_bot');
    expect(max.status).toBe(0);
    expect(max.stdout.trim()).toMatch(/^https:\/\/max\.ru\/mcu_max_bot\?start=[A-Za-z0-9_-]{32}$/);
    const id = /official #(\d+)/.exec(max.stderr)?.[1] ?? '';
    const again = mcu('--id', id, '--bot', 'mcu_barnaul_bot');
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toMatch(/^https:\/\/t\.me\/mcu_barnaul_bot\?start=[A-Za-z0-9_-]{32}$/);
    expect(again.stderr).toContain(`official #${id}`);
    expect(
      await testDb.handle.db.selectFrom('invite').select('official_id').where('official_id', '=', Number(id)).execute(),
    ).toHaveLength(2);

    // Without a token or --bot, the link is printed for the bot's name to be filled in.
    expect(mcu('--id', id, '--channel', 'max').stdout).toMatch(/^https:\/\/max\.ru\/<bot>\?start=/);
    const wrong = mcu('--name', 'X', '--department', 'mcu', '--role', 'operator', '--channel', 'icq');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/unknown messenger "icq"; known: telegram, max/);
    expect(mcu('--id', id, '--name', 'X').status).toBe(2);
    expect(mcu('--id', '999999').stderr).toMatch(/no active official #999999/);
  });

  it('when a person bound Telegram and MAX, then list shows both and the preferred one, and prefer moves it', async () => {
    const person = await seedOfficial(testDb.handle.db, {
      name: 'Сидоров С. С.',
      department: 'roads-transport',
      accounts: [
        { channel: 'max', userId: '8101', chatId: '66101' },
        { channel: 'telegram', userId: '3101', blockedAt: new Date() },
      ],
    });
    const line = () =>
      officials('list')
        .stdout.split('\n')
        .find((l) => l.startsWith(`${person.id}\t`));
    expect(line()).toBe(`${person.id}\tactive\tofficial\troads-transport\tmax*,telegram!\tСидоров С. С.`);
    const moved = officials('prefer', String(person.id), 'telegram');
    expect(moved.status).toBe(0);
    expect(moved.stdout.trim()).toBe(`official #${person.id}: notices go to telegram first`);
    expect(line()).toContain('\tmax,telegram*!\t');

    const unbound = await seedOfficial(testDb.handle.db, { telegram: '3102' });
    const refused = officials('prefer', String(unbound.id), 'max');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/has no max account bound/);
    expect(officials('prefer', '999999', 'max').status).toBe(2);
    expect(officials('prefer', String(unbound.id), 'vk').stderr).toMatch(/unknown messenger "vk"/);
    expect(officials('prefer', 'x').status).toBe(2);
  });

  it('when login is run for an active person, then it prints a one-time console link that opens their session', async () => {
    const person = await seedOfficial(testDb.handle.db, { name: 'Оператор Консоли', role: 'operator', department: 'mcu' });
    const byId = officials('login', '--id', String(person.id));
    expect(byId.status).toBe(0);
    expect(byId.stdout.trim()).toMatch(/^http:\/\/localhost:3000\/console\/login\/[A-Za-z0-9_-]{43}$/);
    const byRole = officials('login', '--role', 'operator');
    expect(byRole.status).toBe(0);
    const links = await testDb.handle.db.selectFrom('console_login_link').select(['official_id', 'used_at']).execute();
    expect(links.filter((l) => Number(l.official_id) === person.id && l.used_at === null).length).toBeGreaterThanOrEqual(1);
    // --role picks the first active operator, whoever it is: a second live link exists.
    expect(links.filter((l) => l.used_at === null).length).toBe(2);
    expect(officials('login').status).toBe(2);
    expect(officials('login', '--role', 'emperor').stderr).toMatch(/no active person with the role "emperor"/);
    expect(officials('login', '--id', '999999').stderr).toMatch(/no active official #999999/);
  });
});
