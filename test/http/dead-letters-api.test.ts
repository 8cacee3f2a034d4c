import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { apiCall, inboxSettled, makeApp, TEST_API_TOKEN } from '../helpers/app.js';
import { BotApiFake, FAKE_BOT_TOKEN } from '../helpers/bot-api-fake.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedSource } from '../helpers/rows.js';

const SECRET = 'dead-letter-secret-0123456789';
const CHAT = { id: -1_009_000_000_044, type: 'supergroup', title: 'Чат' };

describe('API: operators see and replay dead letters', () => {
  let testDb: TestDatabase;
  const bot = new BotApiFake();
  let app: App;
  const tokens = { operator: '', official: '' };
  const post = async (body: string) => {
    const res = await fetch(`${app.info.httpUrl}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body,
    });
    return res.status;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('dead_letters_api', { migrate: true });
    await bot.start();
    ({ app } = makeApp({
      DATABASE_URL: testDb.url,
      TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
      TELEGRAM_API_ROOT: bot.apiRoot,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      APP_ROLES: 'http,telegram,worker',
    }));
    await app.start();
    for (const [key, department, role] of [
      ['operator', 'mcu', 'operator'],
      ['official', 'roads-transport', 'official'],
    ] as const) {
      const invite = await apiCall(app, 'POST', '/api/v1/officials/invites', { name: key, department, role });
      const issued = await apiCall(app, 'POST', `/api/v1/officials/${invite.body.officialId}/api-tokens`);
      tokens[key] = String(issued.body.token);
    }
    await seedSource(testDb.handle.db, { channel: 'telegram', external_id: String(CHAT.id), kind: 'city_chat' });
  });
  afterAll(async () => {
    await app.stop();
    await bot.stop();
    await testDb.drop();
  });

  it('when bodies were parked, then an operator lists them with their raw body and reason; an official may not', async () => {
    expect(await post('{"update_id": 1, "message": {')).toBe(200);
    // Today's rules refuse a message dated in 2101; it is a real update otherwise.
    const future = { update_id: 2, message: { message_id: 2, date: 4_200_000_000, chat: CHAT, text: 'DL-replay Нет воды' } };
    expect(await post(JSON.stringify(future))).toBe(200);
    const list = await apiCall(app, 'GET', '/api/v1/dead-letters', undefined, tokens.operator);
    expect(list.status).toBe(200);
    const items = list.body.items as { id: number; source: string; reason: string; raw: unknown; replayedAt: unknown }[];
    expect(items.map((i) => [i.source, i.reason.split(':')[0]])).toEqual([
      ['telegram-webhook', 'not_an_update'],
      ['telegram-webhook', 'invalid_json'],
    ]);
    expect(items[1]?.raw).toEqual({ rawBody: '{"update_id": 1, "message": {' });
    expect((await apiCall(app, 'GET', '/api/v1/dead-letters', undefined, tokens.official)).status).toBe(403);
    expect((await apiCall(app, 'POST', `/api/v1/dead-letters/${items[0]?.id}/replay`, undefined, tokens.official)).status).toBe(
      403,
    );
    const filtered = await apiCall(app, 'GET', '/api/v1/dead-letters?source=vk-callback', undefined, TEST_API_TOKEN);
    expect(filtered.body.items).toEqual([]);
  });

  it('when an operator replays them, then what is still malformed says so (422), a fixed record is stored and decided, a second replay is 409', async () => {
    const items = (await apiCall(app, 'GET', '/api/v1/dead-letters', undefined, tokens.operator)).body.items as { id: number }[];
    const [future, broken] = items;
    const still = await apiCall(app, 'POST', `/api/v1/dead-letters/${broken?.id}/replay`, undefined, tokens.operator);
    expect(still).toMatchObject({ status: 422, body: { error: { code: 'STILL_MALFORMED' } } });
    // The operator fixes the record (here: the date) in the database, then replays it.
    await testDb.handle.db
      .updateTable('dead_letter')
      .set({
        raw: JSON.stringify({
          update_id: 2,
          message: { message_id: 2, date: 1_764_400_000, chat: CHAT, text: 'DL-replay Нет воды' },
        }),
      })
      .where('id', '=', future?.id ?? 0)
      .execute();
    const replayed = await apiCall(app, 'POST', `/api/v1/dead-letters/${future?.id}/replay`, undefined, tokens.operator);
    expect(replayed).toMatchObject({ status: 200, body: { status: 'stored', eventId: '2', repeated: false } });
    await inboxSettled(app);
    const stored = await testDb.handle.db.selectFrom('message').select('text').where('text', '=', 'DL-replay Нет воды').execute();
    expect(stored).toHaveLength(1);
    const again = await apiCall(app, 'POST', `/api/v1/dead-letters/${future?.id}/replay`, undefined, tokens.operator);
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_REPLAYED' } } });
    expect((await apiCall(app, 'POST', '/api/v1/dead-letters/999999/replay', undefined, tokens.operator)).status).toBe(404);
    const replayedList = await apiCall(app, 'GET', '/api/v1/dead-letters?replayed=true', undefined, tokens.operator);
    expect((replayedList.body.items as { id: number }[]).map((i) => i.id)).toEqual([future?.id]);
  });
});
