import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeApp, waitFor } from '../helpers/app.js';

describe('sandbox: zero-setup start on embedded PostgreSQL', () => {
  it('when started with no tokens and no DATABASE_URL, then /health is 200, the bot answers simulated citizens, and a restart keeps the data', async () => {
    const { app, config } = makeApp({ SANDBOX: 'auto', API_TOKEN: '' }, { sandboxIntervalMs: 150 });
    let staff = 0;
    let accounts: { channel: string; user_id: string }[] = [];
    expect(config.sandbox).toBe(true);
    await app.start();
    try {
      const base = app.info.httpUrl as string;
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(app.info.sandbox?.telegramApiRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(app.info.apiTokenGenerated).toBe(true);

      // The simulated citizens write through the emulator; the real bot code answers them.
      // (One message may get two answers — the consent prompt, then the case number — so wait for both counts.)
      const stats = await waitFor(() => {
        const s = app.citizens?.stats;
        return s && s.answered >= 3 && s.sent >= 3 ? s : undefined;
      }, 45_000);
      expect(stats.sent).toBeGreaterThanOrEqual(3);
      // MAX runs against the sandbox's local MAX Bot API fake: simulated MAX citizens get the bot's answers there.
      expect(app.info.sandbox?.maxApiBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await waitFor(
        () => (app.maxFake?.sent.some((m) => /зарегистрировано под номером/.test(m.text)) ? true : undefined),
        45_000,
      );
      const people = await app.database?.db.selectFrom('official').select('id').execute();
      staff = people?.length ?? 0;
      expect(staff).toBeGreaterThan(0);
      // One department's official and head bound their MAX accounts (bot_started with the invite); the rest Telegram ones.
      accounts = (await app.database?.db.selectFrom('official_account').select(['channel', 'user_id']).execute()) ?? [];
      expect(accounts.filter((a) => a.channel === 'max')).toHaveLength(2);
      expect(accounts.filter((a) => a.channel === 'telegram')).toHaveLength(staff - 2);
      await app.database?.db
        .insertInto('audit_log')
        .values({ actor: 'sandbox-test', action: 'marker', entity: 'test', entity_id: 'restart' })
        .execute();
    } finally {
      await app.stop();
    }
    expect(existsSync(join(config.dataDir, 'postgres', 'PG_VERSION'))).toBe(true);

    // Same DATA_DIR again: the cluster and the generated API token are reused.
    const token = app.info.apiToken;
    const { app: again } = makeApp({ SANDBOX: 'auto', API_TOKEN: '', DATA_DIR: config.dataDir }, { sandboxIntervalMs: 60_000 });
    await again.start();
    try {
      expect(again.info.apiToken).toBe(token);
      expect(again.info.apiTokenGenerated).toBe(false);
      const marker = await again.database?.db
        .selectFrom('audit_log')
        .select(['actor'])
        .where('entity_id', '=', 'restart')
        .executeTakeFirst();
      expect(marker).toEqual({ actor: 'sandbox-test' });
      // The simulated officials bound last time are reused, not invited again: recognised by their account on
      // their messenger (Telegram, or MAX for the MAX department), none bound anew.
      expect(await again.database?.db.selectFrom('official').select('id').execute()).toHaveLength(staff);
      expect(await again.database?.db.selectFrom('official_account').select(['channel', 'user_id']).execute()).toEqual(
        expect.arrayContaining(accounts),
      );
      expect(await again.database?.db.selectFrom('official_account').select('official_id').execute()).toHaveLength(
        accounts.length,
      );
      expect((await fetch(`${again.info.httpUrl}/health`)).status).toBe(200);
    } finally {
      await again.stop();
    }
  }, 120_000);
});
