import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { startTelegramEmulator, type TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { makeApp, TEST_API_TOKEN } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

describe('officials: invite → bind → /my, with access checks (Bot API emulator)', () => {
  let testDb: TestDatabase;
  let emulator: TelegramEmulator;
  let app: App;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.info.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const user = (id: number) => emulator.server.getClient(emulator.token, { userId: id, chatId: id, firstName: 'Сотрудник' });
  const say = async (id: number, command: string, expect: RegExp) => {
    const seen = botMessagesTo(emulator.server, id).length;
    const c = user(id);
    await c.sendCommand(c.makeCommand(command));
    return waitForBotMessage(emulator.server, id, expect, seen);
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('tg_officials');
    emulator = await startTelegramEmulator();
    ({ app } = makeApp({
      DATABASE_URL: testDb.url,
      TELEGRAM_BOT_TOKEN: emulator.token,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      APP_ROLES: 'http,telegram,worker',
    }));
    await app.start();
  });
  afterAll(async () => {
    await app.stop();
    await emulator.stop();
    await testDb.drop();
  });

  it('when an operator invites an official and the official opens the link, then the account is bound and /my works', async () => {
    const invite = await api('POST', '/api/v1/officials/invites', {
      name: 'Иванова А. П.',
      department: 'adm-industrial',
      role: 'official',
    });
    expect(invite.status).toBe(201);
    expect(invite.body.link).toBe(`https://t.me/TestNameBot?start=${invite.body.token}`);
    const bound = await say(7001, `/start ${invite.body.token}`, /Вы подключены/);
    expect(bound).toContain('Иванова А. П.');
    expect(bound).toContain('Индустриального района');
    expect(await say(7001, '/my', /Открытых обращений|Открытые обращения/)).toMatch(/Индустриального района/);

    // The link is single-use: a second person opening it is refused.
    expect(await say(7002, `/start ${invite.body.token}`, /уже использовано/)).toBeTruthy();
  });

  it('when a citizen or a stranger sends /my, then «Недостаточно прав»', async () => {
    expect(await say(7003, '/my', /Недостаточно прав/)).toBeTruthy();
  });

  it('when an official is deactivated, then access is gone at once', async () => {
    const invite = await api('POST', '/api/v1/officials/invites', {
      name: 'Петров',
      department: 'roads-transport',
      role: 'department_head',
    });
    await say(7004, `/start ${invite.body.token}`, /Вы подключены/);
    expect((await api('POST', `/api/v1/officials/${invite.body.officialId}/deactivate`)).status).toBe(200);
    expect(await say(7004, '/my', /Недостаточно прав/)).toBeTruthy();
    expect((await api('POST', `/api/v1/officials/${invite.body.officialId}/deactivate`)).status).toBe(404);
  });

  it('when an invite is for an unknown department or role, or unknown to the bot, then it is refused', async () => {
    expect(
      (await api('POST', '/api/v1/officials/invites', { name: 'X', department: 'nowhere', role: 'official' })).body,
    ).toMatchObject({
      error: { code: 'UNKNOWN_DEPARTMENT' },
    });
    expect((await api('POST', '/api/v1/officials/invites', { name: 'X', department: 'mcu', role: 'king' })).body).toMatchObject({
      error: { code: 'UNKNOWN_ROLE' },
    });
    expect(await say(7005, `/start ${'A'.repeat(32)}`, /не найдена/)).toBeTruthy();
  });
});
