import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { inboxSettled, makeApp } from '../helpers/app.js';
import { BotApiFake, FAKE_BOT_TOKEN } from '../helpers/bot-api-fake.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { telegramMessageUpdate, vkEvent as vkCallbackEvent } from '../helpers/payloads.js';
import { seedSource } from '../helpers/rows.js';
import { VkApiFake } from '../helpers/vk-fake.js';

const SECRET = 'fault-webhook-secret-0123456789';
const VK_SECRET = 'fault-vk-secret';
const GROUP_ID = 219_000_888;
const CHAT = { id: -1_009_000_000_003, type: 'supergroup', title: 'Барнаул — чат' };
const USER = { id: 4_001, is_bot: false, first_name: 'Житель', username: 'zhitel' };

const deep = (depth: number) => {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

/** A small seeded generator, so a failing payload can be reproduced from the seed. */
function random(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state ^ (state >>> 15), 2_246_822_507) + 0x6d2b79f5) >>> 0;
    return state % n;
  };
}
const HOSTILE: unknown[] = [
  null,
  {},
  [],
  '',
  '\ud800',
  '\udfff x',
  '\u0000',
  1e20,
  -1,
  1.5,
  true,
  'я'.repeat(70_000),
  deep(40),
  { a: { b: [null] } },
  [null],
  0,
];

/** Mutates one leaf or key of a valid payload: the shapes a buggy proxy, a new API version or an attacker with the secret sends. */
function mutate(base: unknown, pick: (n: number) => number): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (path.length > 0) paths.push(path);
    if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, Array.isArray(v) ? Number(k) : k]);
  };
  walk(copy, []);
  const path = paths[pick(paths.length)] ?? [];
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (pick(5) === 0 && !Array.isArray(parent)) delete parent[last];
  else parent[last] = structuredClone(HOSTILE[pick(HOSTILE.length)]);
  return copy;
}

/**
 * Signed payloads that can never be processed are parked with 200/ok and intake goes on; strings
 * that PostgreSQL cannot hold are made storable; unsigned junk is refused and stored nowhere.
 */
describe('fault: malformed and hostile payloads', () => {
  let testDb: TestDatabase;
  const bot = new BotApiFake();
  const vk = new VkApiFake();
  let app: App;
  const statuses: number[] = [];

  const telegram = async (body: string) => {
    const res = await fetch(`${app.info.httpUrl}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body,
    });
    statuses.push(res.status);
    return { status: res.status, body: await res.text() };
  };
  const vkPost = async (body: string) => {
    const res = await fetch(`${app.info.httpUrl}/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    statuses.push(res.status);
    return { status: res.status, body: await res.text() };
  };
  let updateId = 70_000;
  let eventId = 0;
  const tgMessage = (text: string, extra: Record<string, unknown> = {}) =>
    telegramMessageUpdate({ updateId: ++updateId, chat: CHAT, from: USER, text, extra });
  const vkEvent = (type: string, object: Record<string, unknown>) =>
    vkCallbackEvent({ groupId: GROUP_ID, secret: VK_SECRET }, type, object, `mal-${++eventId}`);
  const vkComment = (text: string, extra: Record<string, unknown> = {}) =>
    vkEvent('wall_reply_new', {
      id: ++eventId,
      from_id: 501,
      post_id: 77,
      owner_id: -GROUP_ID,
      date: 1_764_400_100,
      text,
      ...extra,
    });
  const letters = async () =>
    (await testDb.handle.db.selectFrom('dead_letter').select(['source', 'reason']).orderBy('id').execute()).map(
      (l) => `${l.source} ${l.reason.split(':')[0]}`,
    );
  const messageText = async (like: string) => {
    await inboxSettled(app);
    return (await testDb.handle.db.selectFrom('message').select('text').where('text', 'like', like).execute()).map((m) => m.text);
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('fault_malformed');
    await bot.start();
    await vk.start();
    ({ app } = makeApp(
      {
        DATABASE_URL: testDb.url,
        TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
        TELEGRAM_API_ROOT: bot.apiRoot,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        VK_GROUP_TOKEN: 'vk1.a.fault-token',
        VK_GROUP_ID: String(GROUP_ID),
        VK_API_BASE_URL: vk.baseUrl,
        VK_MODE: 'callback',
        VK_CALLBACK_SECRET: VK_SECRET,
        VK_CONFIRMATION_CODE: 'fault123',
        APP_ROLES: 'http,telegram,vk,worker',
      },
      { inbox: { retryBaseMs: 20, maxAttempts: 3, idleMs: 20 } },
    ));
    await app.start();
    await seedSource(testDb.handle.db, {
      channel: 'telegram',
      external_id: String(CHAT.id),
      kind: 'city_chat',
      title: CHAT.title,
    });
  }, 60_000);
  afterAll(async () => {
    await app.stop();
    await bot.stop();
    await vk.stop();
    await testDb.drop();
  });

  it('when each payload from the incident list arrives signed, then it is parked (or made storable) with 200, never 5xx', async () => {
    // A lone surrogate and a NUL (as JSON escapes) in a text and a name: stored, made valid.
    const surrogate = JSON.stringify(tgMessage('SURR-tg half an emoji', { from: { ...USER, first_name: 'X' } }))
      .replace('half an emoji', 'half \\ud83d an emoji \\u0000')
      .replace('"first_name":"X"', '"first_name":"\\ud83d"');
    expect(await telegram(surrogate)).toEqual({ status: 200, body: '{"ok":true}' });
    expect(await messageText('SURR-tg%')).toEqual(['SURR-tg half \uFFFD an emoji \uFFFD']);
    // A caption that is an object; attachments nested 5,000 deep; not JSON at all.
    expect((await telegram(JSON.stringify(tgMessage('x', { caption: { text: 'объект' } })))).status).toBe(200);
    const nested = '['.repeat(5_000) + ']'.repeat(5_000);
    expect((await telegram(JSON.stringify(tgMessage('x', { entities: 'NESTED' })).replace('"NESTED"', nested))).status).toBe(200);
    expect((await telegram('{"update_id": 5, "message": {')).status).toBe(200);
    // VK: date 1e20, attachments [null], attachments nested 5,000 deep, a lone surrogate.
    expect(await vkPost(JSON.stringify(vkComment('x', { date: 1e20 })))).toEqual({ status: 200, body: 'ok' });
    expect(await vkPost(JSON.stringify(vkComment('x', { attachments: [null] })))).toEqual({ status: 200, body: 'ok' });
    expect(await vkPost(JSON.stringify(vkComment('x', { attachments: 'NESTED' })).replace('"NESTED"', nested))).toEqual({
      status: 200,
      body: 'ok',
    });
    expect(await vkPost(JSON.stringify(vkComment('SURR-vk half')).replace('half', 'half \\udc00'))).toEqual({
      status: 200,
      body: 'ok',
    });
    expect(await messageText('SURR-vk%')).toEqual(['SURR-vk half \uFFFD']);
    // The VK secret is kept nowhere, not even in a dead letter an operator reads.
    const raws = await testDb.handle.db.selectFrom('dead_letter').select('raw').execute();
    expect(JSON.stringify(raws)).not.toContain(VK_SECRET);
    expect(await letters()).toEqual([
      'telegram-webhook not_an_update',
      'telegram-webhook nested_too_deep',
      'telegram-webhook invalid_json',
      'vk-callback wall_reply_new',
      'vk-callback wall_reply_new',
      'vk-callback nested_too_deep',
    ]);
  });

  it('when unsigned junk arrives (1 MB bodies without the secret, not JSON), then it is refused and stored nowhere', async () => {
    const before = (await letters()).length;
    const big = JSON.stringify({ type: 'wall_reply_new', group_id: GROUP_ID, object: { text: 'я'.repeat(500_000) } });
    for (let i = 0; i < 20; i++) expect((await vkPost(big)).status).toBe(403);
    expect((await vkPost('x'.repeat(1_100_000))).status).toBe(413);
    expect((await vkPost('not json')).status).toBe(400);
    expect((await letters()).length).toBe(before);
    const inbox = await sql<{
      bytes: number;
    }>`select coalesce(sum(pg_column_size(payload)), 0)::int as bytes from inbox_event`.execute(testDb.handle.db);
    expect(inbox.rows[0]?.bytes).toBeLessThan(100_000);
  });

  it('when 600 generated mutations of real payloads arrive signed, then 0 × 5xx, none fails its decision, and intake goes on', {
    timeout: 120_000,
  }, async () => {
    const pick = random(20261206);
    const bases = () => [
      tgMessage('Не горит фонарь'),
      {
        update_id: ++updateId,
        message: {
          message_id: updateId,
          date: 1_764_400_000,
          chat: { id: 5_001, type: 'private', first_name: 'Ж' },
          from: USER,
          text: 'Нет воды',
        },
      },
      {
        update_id: ++updateId,
        callback_query: {
          id: 'cb',
          from: USER,
          data: 'consent:yes',
          message: { message_id: 1, date: 1_764_400_000, chat: { id: USER.id, type: 'private' } },
        },
      },
      {
        update_id: ++updateId,
        my_chat_member: {
          chat: CHAT,
          from: USER,
          date: 1_764_400_000,
          old_chat_member: { status: 'left', user: USER },
          new_chat_member: { status: 'member', user: USER },
        },
      },
    ];
    const vkBases = () => [
      vkComment('Яма у дома'),
      vkEvent('message_new', {
        message: { id: ++eventId, date: 1_764_400_000, from_id: 601, peer_id: 601, text: 'Нет света', attachments: [] },
      }),
      vkEvent('wall_post_new', {
        id: ++eventId,
        from_id: 602,
        owner_id: -GROUP_ID,
        date: 1_764_400_000,
        post_type: 'suggest',
        text: 'Предложение',
      }),
    ];
    const before = statuses.length;
    for (let i = 0; i < 300; i++) {
      const tg = bases();
      await telegram(JSON.stringify(mutate(tg[pick(tg.length)], pick)));
      const vkList = vkBases();
      const mutated = mutate(vkList[pick(vkList.length)], pick) as Record<string, unknown>;
      await vkPost(JSON.stringify({ ...mutated, secret: VK_SECRET, group_id: GROUP_ID }));
    }
    const generated = statuses.slice(before);
    await inboxSettled(app, 60_000);
    const decisions = await sql<{
      status: string;
      n: number;
    }>`select status, count(*)::int as n from inbox_event group by status order by status`.execute(testDb.handle.db);
    const parkedAtEdge = (await letters()).length;
    const failed = await testDb.handle.db
      .selectFrom('dead_letter')
      .select(['source', 'error'])
      .where('reason', '=', 'processing_failed')
      .execute();
    console.info(
      `[fault] malformed: ${generated.length} generated payloads → ${generated.filter((s) => s === 200).length} × 200, ${generated.filter((s) => s >= 500).length} × 5xx; inbox ${JSON.stringify(decisions.rows)}; dead letters ${parkedAtEdge} (of which failed decisions ${failed.length})`,
    );
    expect(generated.filter((s) => s >= 500)).toEqual([]);
    expect(failed).toEqual([]);
    // Intake goes on.
    expect((await telegram(JSON.stringify(tgMessage('AFTER-tg всё ещё работает')))).status).toBe(200);
    expect(await messageText('AFTER-tg%')).toHaveLength(1);
  });
});
