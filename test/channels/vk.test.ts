import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { inboxSettled, makeApp, startVkApp, waitFor } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { vkCallbackPayloads } from '../helpers/payloads.js';
import { VkApiFake } from '../helpers/vk-fake.js';

const GROUP_ID = 219_000_001;
const SECRET = 'vk-callback-secret';
const USER = 555_001;

/** Events shaped as the VK Callback API documents them (API v5.199). */
const { event, messageNew, wallReply: reply } = vkCallbackPayloads({ groupId: GROUP_ID, secret: SECRET });
const privateMessage = (id: number, text: string, payload?: string) => messageNew({ id, from: USER, text, payload });
const wallReply = (type: 'wall_reply_new' | 'wall_reply_edit', id: number, text: string, from = USER) =>
  reply({ type, id, text, from });

describe('VK Callback API (POST /vk/callback) against a local VK API fake', () => {
  let testDb: TestDatabase;
  let vk: VkApiFake;
  let app: App;
  let stop: () => Promise<void>;
  let url: string;

  const post = async (body: unknown, raw = false) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ? String(body) : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };
  /** The messages with this text, once the inbox has decided everything acknowledged so far. */
  const messagesWhere = async (text: string) => {
    await inboxSettled(app);
    return testDb.handle.db.selectFrom('message').selectAll().where('text', '=', text).execute();
  };

  beforeAll(async () => {
    ({ testDb, vk, app, stop } = await startVkApp({
      database: 'vk_callback',
      vk: { groupId: GROUP_ID, secret: SECRET, confirmationCode: 'a1b2c3d4' },
    }));
    url = `${app.info.httpUrl}/vk/callback`;
  });
  afterAll(() => stop?.());

  it('when VK asks for confirmation, then the configured code is the whole answer', async () => {
    expect(await post({ type: 'confirmation', group_id: GROUP_ID })).toEqual({ status: 200, text: 'a1b2c3d4' });
  });

  it('when the secret or the group is wrong, then 403 and nothing is stored', async () => {
    expect((await post({ ...wallReply('wall_reply_new', 1, 'чужой секрет'), secret: 'nope' })).status).toBe(403);
    expect((await post({ ...wallReply('wall_reply_new', 2, 'чужая группа'), group_id: 1 })).status).toBe(403);
    expect(await messagesWhere('чужой секрет')).toHaveLength(0);
    expect(await messagesWhere('чужая группа')).toHaveLength(0);
  });

  it('when a citizen starts a private chat, consents and writes, then the case number comes back as a VK message', async () => {
    expect(await post(privateMessage(1, 'Начать', '{"command":"start"}'))).toEqual({ status: 200, text: 'ok' });
    const consentPrompt = await waitFor(() => vk.sent().find((c) => c.params.message?.includes('согласие на обработку')));
    expect(consentPrompt?.params.peer_id).toBe(String(USER));
    expect(consentPrompt?.params.keyboard).toContain('consent_yes');

    expect((await post(privateMessage(2, 'Не согласен', '{"cmd":"consent_yes"}'))).text).toBe('ok');
    await post(privateMessage(3, 'Нет отопления в доме на ул. Малахова, 89'));
    const ack = await waitFor(() =>
      vk.sent().find((c) => /зарегистрировано под номером МЦУ-\d{4}-\d{6}/.test(c.params.message ?? '')),
    );
    expect(ack.params.peer_id).toBe(String(USER));
    expect(ack.params.keyboard).toContain('new_case');
    const [stored] = await messagesWhere('Нет отопления в доме на ул. Малахова, 89');
    expect(stored?.kind).toBe('private');
  });

  it('when the same event is delivered twice (X-Retry-Counter), then one message', async () => {
    const e = wallReply('wall_reply_new', 10, 'Когда починят лифт в доме 5?');
    expect((await post(e)).text).toBe('ok');
    expect((await post(e)).text).toBe('ok');
    const stored = await messagesWhere('Когда починят лифт в доме 5?');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'comment', permalink: `https://vk.com/wall-${GROUP_ID}_77?reply=10` });
    expect(stored[0]?.thread).toEqual({ postId: '77' });
  });

  it('when a wall comment is edited and then deleted, then the history and the deletion are recorded', async () => {
    await post(wallReply('wall_reply_new', 11, 'Мусор не вывозят'));
    await post(wallReply('wall_reply_edit', 11, 'Мусор не вывозят уже неделю'));
    await post(event('wall_reply_delete', { owner_id: -GROUP_ID, id: 11, deleter_id: USER, post_id: 77 }));
    const [row] = await messagesWhere('Мусор не вывозят уже неделю');
    expect(row?.edited_at).not.toBeNull();
    expect(row?.deleted_at).not.toBeNull();
    const history = await testDb.handle.db
      .selectFrom('message_edit')
      .select(['previous_text', 'new_text'])
      .where('message_id', '=', row?.id ?? 0)
      .execute();
    expect(history).toEqual([{ previous_text: 'Мусор не вывозят', new_text: 'Мусор не вывозят уже неделю' }]);
  });

  it('when an official answers a wall comment, then the community replies under that comment', async () => {
    const [row] = await messagesWhere('Когда починят лифт в доме 5?');
    await waitFor(async () => {
      const m = await testDb.handle.db
        .selectFrom('message')
        .select('case_id')
        .where('id', '=', row?.id ?? 0)
        .executeTakeFirst();
      return m?.case_id ?? undefined;
    });
    const message = await testDb.handle.db
      .selectFrom('message')
      .select('case_id')
      .where('id', '=', row?.id ?? 0)
      .executeTakeFirstOrThrow();
    await fetch(`${app.info.httpUrl}/api/v1/cases/${message.case_id}/status`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-api-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'assigned' }),
    }).catch(() => undefined);
    const res = await fetch(`${app.info.httpUrl}/api/v1/cases/${message.case_id}/answers`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-api-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Лифт в доме 5 отремонтирован 03.12 бригадой подрядчика, работает.', kind: 'final' }),
    });
    expect(res.status).toBe(201);
    const call = await waitFor(() => vk.sent('wall.createComment')[0]);
    expect(call.params).toMatchObject({
      owner_id: String(-GROUP_ID),
      post_id: '77',
      reply_to_comment: '10',
      from_group: String(GROUP_ID),
    });
    expect(call.params.message).toContain('Лифт в доме 5 отремонтирован');
  });

  it('when the community replies under a post itself, then it is stored as context and opens no case', async () => {
    await post(wallReply('wall_reply_new', 12, 'Ответ администрации: работы запланированы', -GROUP_ID));
    const [row] = await messagesWhere('Ответ администрации: работы запланированы');
    expect(row?.processed_at).not.toBeNull();
    expect(row?.case_id).toBeNull();
  });

  it('when a citizen suggests a post, comments on a board, photo, video or market item, then each is stored with its place', async () => {
    const items = [
      event('wall_post_new', {
        id: 501,
        from_id: USER,
        owner_id: -GROUP_ID,
        date: 1_764_400_200,
        marked_as_ads: 0,
        post_type: 'suggest',
        text: 'Предлагаю: сломана лавочка в сквере',
        created_by: USER,
        comments: { count: 0 },
      }),
      event('board_post_new', {
        id: 7,
        from_id: USER,
        date: 1_764_400_300,
        text: 'Вопрос в обсуждении про автобусы',
        topic_owner_id: -GROUP_ID,
        topic_id: 33,
      }),
      event('photo_comment_new', {
        id: 8,
        from_id: USER,
        date: 1_764_400_300,
        text: 'На фото видно яму',
        photo_owner_id: -GROUP_ID,
        photo_id: 44,
      }),
      event('video_comment_new', {
        id: 9,
        from_id: USER,
        date: 1_764_400_300,
        text: 'Под видео: когда уберут снег?',
        video_owner_id: -GROUP_ID,
        video_id: 55,
      }),
      event('market_comment_new', {
        id: 10,
        from_id: USER,
        date: 1_764_400_300,
        text: 'Комментарий к товару',
        market_owner_id: -GROUP_ID,
        item_id: 66,
      }),
    ];
    for (const e of items) expect((await post(e)).text).toBe('ok');
    await inboxSettled(app);
    const rows = await testDb.handle.db
      .selectFrom('message')
      .select(['kind', 'permalink'])
      .where('text', 'in', [
        'Предлагаю: сломана лавочка в сквере',
        'Вопрос в обсуждении про автобусы',
        'На фото видно яму',
        'Под видео: когда уберут снег?',
        'Комментарий к товару',
      ])
      .execute();
    // Different places are different lanes, decided side by side: compare in a fixed order.
    const byPermalink = (a: { permalink: string | null }, b: { permalink: string | null }) =>
      String(a.permalink).localeCompare(String(b.permalink));
    expect([...rows].sort(byPermalink)).toEqual(
      [
        { kind: 'suggested_post', permalink: `https://vk.com/wall-${GROUP_ID}_501` },
        { kind: 'board_post', permalink: `https://vk.com/topic-${GROUP_ID}_33?post=7` },
        { kind: 'comment', permalink: `https://vk.com/photo-${GROUP_ID}_44` },
        { kind: 'comment', permalink: `https://vk.com/video-${GROUP_ID}_55` },
        { kind: 'comment', permalink: `https://vk.com/product-${GROUP_ID}_66` },
      ].sort(byPermalink),
    );
  });

  it('when the body is malformed, then 400 and nothing stored; a signed event that can never be processed is parked with "ok"; unknown types are counted', async () => {
    // Not JSON, or no secret: nothing can be verified, so nothing is stored (no unauthenticated growth).
    expect((await post('{"type":', true)).status).toBe(400);
    expect((await post('x'.repeat(2 * 1024 * 1024), true)).status).toBe(413);
    // Signed, but no platform sends these: an event without its ids, a date in 5138, an attachment that is null.
    expect((await post(event('wall_reply_new', { text: 'без id' }))).text).toBe('ok');
    const future = privateMessage(900, 'из будущего');
    (future.object.message as Record<string, unknown>).date = 1e20;
    expect((await post(future)).text).toBe('ok');
    const nullAttachment = wallReply('wall_reply_new', 901, 'вложение null');
    (nullAttachment.object as Record<string, unknown>).attachments = [null];
    expect((await post(nullAttachment)).text).toBe('ok');
    expect((await post(event('group_join', { user_id: USER, join_type: 'join' }))).text).toBe('ok');
    await inboxSettled(app);
    const letters = await testDb.handle.db.selectFrom('dead_letter').select(['source', 'reason']).orderBy('id').execute();
    expect(letters).toEqual([
      { source: 'vk-callback', reason: 'wall_reply_new: id: invalid_type; post_id: invalid_type' },
      { source: 'vk-callback', reason: 'message_new: message.date: too_big' },
      { source: 'vk-callback', reason: 'wall_reply_new: attachments.0: invalid_type' },
    ]);
    const metrics = await (await fetch(`${app.info.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/mcu_updates_ignored_total\{channel="vk",type="group_join"\} 1/);
  });
});

describe('VK Bots Long Poll against a local VK API fake', () => {
  it('when events arrive, they are stored; after a restart, events that came meanwhile are read from the saved ts, none twice', async () => {
    const testDb = await createTestDatabase('vk_longpoll');
    const vk = new VkApiFake();
    await vk.start();
    const env = {
      DATABASE_URL: testDb.url,
      VK_GROUP_TOKEN: 'vk1.a.community-token',
      VK_GROUP_ID: String(GROUP_ID),
      VK_API_BASE_URL: vk.baseUrl,
      APP_ROLES: 'vk,worker',
    };
    const count = async () => (await testDb.handle.db.selectFrom('message').select('id').execute()).length;
    try {
      const { app } = makeApp(env);
      await app.start();
      // Like VK, the fake delivers only events after the long-poll session began.
      await waitFor(() => (vk.sent('groups.getLongPollServer').length > 0 ? true : undefined));
      vk.events.push(
        wallReply('wall_reply_new', 101, 'Первый комментарий'),
        wallReply('wall_reply_new', 102, 'Второй комментарий'),
      );
      await waitFor(async () => ((await count()) === 2 ? true : undefined));
      await app.stop();

      // While we are down: two new events, and VK re-sends one we already have.
      vk.events.push(wallReply('wall_reply_new', 103, 'Пока бот спал'), wallReply('wall_reply_new', 104, 'Ещё одно'));
      vk.events.push(vk.events[1] as Record<string, unknown>);
      const { app: again } = makeApp(env);
      await again.start();
      try {
        await waitFor(async () => ((await count()) === 4 ? true : undefined));
        await new Promise((r) => setTimeout(r, 300));
        expect(await count()).toBe(4);
      } finally {
        await again.stop();
      }
    } finally {
      await vk.stop();
      await testDb.drop();
    }
  });
});
