import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors.js';
import { loadConfig } from '../../config/index.js';
import { makeApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

describe('a database is the sandbox’s or the live app’s, never both', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase('db_mode', { migrate: true });
  });
  afterAll(async () => testDb.drop());

  it('when the live app starts on a database the sandbox used, then it refuses with a clear reason', async () => {
    await testDb.handle.db.insertInto('app_setting').values({ key: 'mode', value: 'sandbox', created_at: new Date() }).execute();
    const { app } = makeApp({ DATABASE_URL: testDb.url, APP_ROLES: 'http,worker' });
    const started = app.start();
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/used by the sandbox/);
    await app.stop();
  });

  it('when the live app starts on its own database, then it records it as live and starts again later', async () => {
    const fresh = await createTestDatabase('db_mode_live', { migrate: true });
    try {
      for (let i = 0; i < 2; i++) {
        const { app } = makeApp({ DATABASE_URL: fresh.url, APP_ROLES: 'http,worker' });
        await app.start();
        await app.stop();
      }
      const row = await fresh.handle.db.selectFrom('app_setting').select('value').where('key', '=', 'mode').executeTakeFirst();
      expect(row?.value).toBe('live');
    } finally {
      await fresh.drop();
    }
  });

  it('when the sandbox is forced next to a VK token, then the configuration is refused; a service token alone turns auto off', () => {
    expect(() => loadConfig({ SANDBOX: 'true', VK_GROUP_TOKEN: 'vk1.a.x', VK_GROUP_ID: '1' })).toThrow(/SANDBOX/);
    expect(() => loadConfig({ SANDBOX: 'true', VK_SERVICE_TOKEN: 'svc' })).toThrow(/SANDBOX/);
    expect(loadConfig({ VK_SERVICE_TOKEN: 'svc' }).sandbox).toBe(false);
    expect(loadConfig({}).sandbox).toBe(true);
  });
});
