import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { inboxSettled, MAX_WEBHOOK_SECRET, startMaxApp, TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { type MaxApiFake, type MaxSent, maxUpdates } from '../helpers/max-fake.js';

const CITIZEN = { userId: 5_550_201, firstName: 'Анна', lastName: 'Макс', username: 'anna_max' };
const DIALOG = 8_000_201;
const CASE_NUMBER = /МЦУ-\d{4}-\d{6}/;
/** The МЦУ operators' MAX group: alerts go there when no Telegram operators' chat is set. */
const OPERATORS = -70_000_000_999;

describe('MAX by webhook (POST /max/webhook) against the MAX Bot API fake: a citizen from start to the poll', () => {
  let testDb: TestDatabase;
  let max: MaxApiFake;
  let app: App;
  let stop: () => Promise<void>;
  let url: string;
  let caseId = 0;

  const post = async (body: unknown, secret: string | null = MAX_WEBHOOK_SECRET) => max.deliver(body, { url, secret });
  /** The next message the bot sent to `chat` whose text matches, after the first `skip` sends. */
  const sentTo = (chat: number, pattern: RegExp, skip = 0): Promise<MaxSent> =>
    waitFor(() => max.sent.slice(skip).find((m) => m.chatId === chat && pattern.test(m.text)));
  const payloadsOf = (m: MaxSent) => (m.keyboard ?? []).flat().map((b) => b.payload);
  const press = (payload: string) => post(maxUpdates.callback({ from: CITIZEN, chatId: DIALOG, payload }));
  const write = (text: string) => post(maxUpdates.messageCreated({ from: CITIZEN, chatId: DIALOG, text, botId: max.bot.userId }));
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${app.info.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  beforeAll(async () => {
    ({ testDb, max, app, stop } = await startMaxApp({
      database: 'max_webhook',
      env: { MAX_OPERATORS_CHAT_ID: String(OPERATORS) },
    }));
    url = `${app.info.httpUrl}/max/webhook`;
  });
  afterAll(() => stop?.());

  it('when the secret header is wrong or missing, then 401 and nothing is stored', async () => {
    expect((await post(maxUpdates.botStarted({ from: CITIZEN, chatId: DIALOG }), 'wrong-secret-0123456789')).status).toBe(401);
    expect((await post(maxUpdates.botStarted({ from: CITIZEN, chatId: DIALOG }), null)).status).toBe(401);
    expect((await post('{not json', 'nope')).status).toBe(401);
    expect(await testDb.handle.db.selectFrom('inbox_event').select('id').execute()).toHaveLength(0);
    expect(await testDb.handle.db.selectFrom('dead_letter').select('id').execute()).toHaveLength(0);
  });

  it('when a citizen starts the bot, consents and writes, then the greeting, the consent buttons and the case number arrive in MAX', async () => {
    expect(await post(maxUpdates.botStarted({ from: CITIZEN, chatId: DIALOG }))).toEqual({ status: 200, body: '{"ok":true}' });
    const prompt = await sentTo(DIALOG, /согласие на обработку персональных данных/);
    expect(payloadsOf(prompt)).toEqual(['consent:yes', 'consent:no']);
    expect(max.sent.some((m) => m.chatId === DIALOG && /Барнаул/.test(m.text))).toBe(true);

    let seen = max.sent.length;
    await press('consent:yes');
    await sentTo(DIALOG, /Спасибо! Теперь опишите проблему/, seen);
    // The press was answered, so the MAX client stops waiting.
    await waitFor(() => (max.answers.length > 0 ? true : undefined));

    seen = max.sent.length;
    await write('Третий день нет горячей воды, ул. Малахова, 89');
    const opened = await sentTo(DIALOG, /зарегистрировано под номером/, seen);
    expect(opened.text).toMatch(CASE_NUMBER);
    expect(payloadsOf(opened)).toEqual(['case:new']);
    // The notification replies to the citizen's message (its mid is in the stored platform ids).
    expect(opened.link?.mid).toMatch(/^mid\./);
    const row = await testDb.handle.db.selectFrom('case').select(['id', 'channel']).executeTakeFirstOrThrow();
    expect(row.channel).toBe('max');
    caseId = row.id;
    const [message] = await testDb.handle.db.selectFrom('message').select(['kind', 'platform_ids']).execute();
    expect(message).toMatchObject({ kind: 'private', platform_ids: { chat_id: DIALOG, message_id: opened.link?.mid } });
  });

  it('when the same update is delivered twice, then one message', async () => {
    const update = maxUpdates.messageCreated({ from: CITIZEN, chatId: -70_000_000_201, chatType: 'chat', text: 'Дважды' });
    expect((await post(update)).status).toBe(200);
    expect((await post(update)).status).toBe(200);
    const mid = (update.message as { body: { mid: string } }).body.mid;
    const events = await testDb.handle.db
      .selectFrom('inbox_event')
      .select('id')
      .where('event_id', '=', `message_created:${mid}`)
      .execute();
    expect(events).toHaveLength(1);
    // A citizen's update delivered twice: one message, one question.
    const dup = maxUpdates.messageCreated({
      from: CITIZEN,
      chatId: DIALOG,
      text: 'Отключили свет во всём подъезде',
      botId: max.bot.userId,
    });
    const seen = max.sent.length;
    await post(dup);
    await post(dup);
    await sentTo(DIALOG, /или новое обращение\?/, seen);
    await inboxSettled(app);
    expect(
      await testDb.handle.db.selectFrom('message').select('id').where('text', '=', 'Отключили свет во всём подъезде').execute(),
    ).toHaveLength(1);
    expect(max.sent.slice(seen).filter((m) => /или новое обращение\?/.test(m.text))).toHaveLength(1);
  });

  it('when a follow-up is about something else, then «дополнение или новое обращение?» with buttons; «Дополнение» joins the case once', async () => {
    const question = [...max.sent].reverse().find((m) => m.chatId === DIALOG && /или новое обращение\?/.test(m.text));
    const [add, fresh] = question ? payloadsOf(question) : [];
    expect(add).toMatch(/^fu:\d+:add$/);
    expect(fresh).toMatch(/^fu:\d+:new$/);
    let seen = max.sent.length;
    await press(add ?? '');
    const joined = await sentTo(DIALOG, /Дополнение принято/, seen);
    expect(joined.text).toMatch(CASE_NUMBER);
    seen = max.sent.length;
    await press(add ?? '');
    await sentTo(DIALOG, /Эта кнопка уже неактуальна/, seen);
    expect(await testDb.handle.db.selectFrom('case').select('id').execute()).toHaveLength(1);
    // While the worker decided the stored message, the citizen saw "typing".
    expect(max.actions.some((a) => a.chatId === DIALOG && a.action === 'typing_on')).toBe(true);
  });

  it('when the citizen asks /status and /help, then the list of cases and the help come back', async () => {
    let seen = max.sent.length;
    await write('/status');
    expect((await sentTo(DIALOG, /Ваши обращения/, seen)).text).toMatch(CASE_NUMBER);
    seen = max.sent.length;
    await write('/help');
    await sentTo(DIALOG, /.+/, seen);
    expect(
      await testDb.handle.db.selectFrom('message').select('id').where('text', 'in', ['/status', '/help']).execute(),
    ).toHaveLength(0);
  });

  it('when an official answers, then the answer arrives in MAX; the poll asks with buttons, and «Нет» reopens the case', async () => {
    await api('POST', `/api/v1/cases/${caseId}/status`, { to: 'assigned' });
    let seen = max.sent.length;
    const answered = await api('POST', `/api/v1/cases/${caseId}/answers`, {
      text: 'Бригада МУП «Водоканал» устранила порыв 02.12, горячая вода подана. Ответственный — мастер Петров И. С.',
      kind: 'final',
    });
    expect(answered.status).toBe(201);
    await sentTo(DIALOG, /Ответ по вашему обращению:\s+Бригада МУП «Водоканал»/, seen);

    seen = max.sent.length;
    await app.queue?.send('ask-poll', { caseId, reminder: false });
    const poll = await sentTo(DIALOG, /Проблема решена\?/, seen);
    expect(payloadsOf(poll)).toEqual([`poll:${caseId}:yes`, `poll:${caseId}:no`]);

    seen = max.sent.length;
    await press(`poll:${caseId}:no`);
    const thanks = await sentTo(DIALOG, /Обращение возобновлено/, seen);
    expect(payloadsOf(thanks)[0]).toBe(`pollc:${caseId}`);
    const row = await testDb.handle.db.selectFrom('case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.status).toBe('reopened');
    // The reopened case is an operators' alert: with no Telegram here, it goes to the operators' MAX group.
    await sentTo(OPERATORS, CASE_NUMBER);
    // A press is an answer, never a message of the conversation.
    expect(await testDb.handle.db.selectFrom('message').select('id').where('text', '=', '').execute()).toHaveLength(0);
  });

  it('when a message may be chatter, then «это обращение?» with MAX buttons; «Да, это обращение» opens a case', async () => {
    const someone = { userId: 5_550_202, firstName: 'Пётр' };
    const chat = 8_000_202;
    await post(maxUpdates.callback({ from: someone, chatId: chat, payload: 'consent:yes' }));
    let seen = max.sent.length;
    await post(maxUpdates.messageCreated({ from: someone, chatId: chat, text: 'Подскажите, а можно сюда писать про двор?' }));
    const question = await sentTo(chat, /это обращение о проблеме/, seen);
    const [yes] = payloadsOf(question);
    expect(yes).toMatch(/^int:\d+:yes$/);
    const before = (await testDb.handle.db.selectFrom('case').select('id').execute()).length;
    seen = max.sent.length;
    await post(maxUpdates.callback({ from: someone, chatId: chat, payload: yes ?? '' }));
    await sentTo(chat, /зарегистрировано под номером/, seen);
    expect(await testDb.handle.db.selectFrom('case').select('id').execute()).toHaveLength(before + 1);
  });

  it('when the body is not JSON, then 400 and a dead letter; JSON that is no update is parked with 200; other types are counted', async () => {
    expect((await post('{"update_type":')).status).toBe(400);
    expect(await post({ update_type: 'message_created', timestamp: 1e20 })).toEqual({
      status: 200,
      body: '{"ok":true,"parked":"not_an_update"}',
    });
    expect((await post(maxUpdates.userAdded({ user: { userId: 1, firstName: 'Гость' }, chatId: -70_000_000_201 }))).status).toBe(
      200,
    );
    await inboxSettled(app);
    const letters = await testDb.handle.db.selectFrom('dead_letter').select(['source', 'reason', 'raw']).orderBy('id').execute();
    expect(letters.map((l) => [l.source, l.reason])).toEqual([
      ['max-webhook', 'invalid_json'],
      ['max-webhook', 'not_an_update: timestamp: too_big'],
    ]);
    expect(letters[0]?.raw).toEqual({ rawBody: '{"update_type":' });
    const metrics = await (await fetch(`${app.info.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/mcu_updates_ignored_total\{channel="max",type="user_added"\} 1/);
  });

  it('when the bot is added to a group chat, then the chat waits for approval; once approved, its messages are captured silently', async () => {
    const group = -70_000_000_301;
    await post(maxUpdates.botAdded({ by: CITIZEN, chatId: group }));
    await inboxSettled(app);
    const source = await testDb.handle.db
      .selectFrom('source')
      .select(['id', 'status', 'kind'])
      .where('channel', '=', 'max')
      .where('external_id', '=', String(group))
      .executeTakeFirstOrThrow();
    expect(source).toMatchObject({ status: 'pending', kind: 'city_chat' });
    await post(maxUpdates.messageCreated({ from: CITIZEN, chatId: group, chatType: 'chat', text: 'До одобрения' }));
    await inboxSettled(app);
    expect((await api('POST', `/api/v1/sources/${source.id}/approve`)).status).toBe(200);
    await post(
      maxUpdates.messageCreated({
        from: CITIZEN,
        chatId: group,
        chatType: 'chat',
        text: 'Во дворе на Ленина 10 не вывозят мусор',
      }),
    );
    await inboxSettled(app);
    const texts = await testDb.handle.db
      .selectFrom('message')
      .select(['text', 'kind'])
      .where('source_id', '=', source.id)
      .execute();
    expect(texts).toEqual([{ text: 'Во дворе на Ленина 10 не вывозят мусор', kind: 'chat' }]);
    expect(max.sentTo(group)).toHaveLength(0);
  });

  it('when the citizen blocked the bot, then the answer is recorded as blocked and not retried', async () => {
    max.block(DIALOG);
    await api('POST', `/api/v1/cases/${caseId}/status`, { to: 'assigned' });
    const answered = await api('POST', `/api/v1/cases/${caseId}/answers`, {
      text: 'Повторно промыли стояк 05.12, температура воды 62 °C, замер мастера Петрова И. С.',
      kind: 'final',
    });
    expect(answered.status).toBe(201);
    const blocked = await waitFor(async () => {
      const rows = await testDb.handle.db.selectFrom('answer').select(['state', 'error']).where('case_id', '=', caseId).execute();
      return rows.find((r) => r.state === 'blocked');
    });
    expect(blocked.error).toMatch(/403 chat\.denied/);
  });
});

describe('MAX webhook subscription at start', () => {
  it('when MAX_WEBHOOK_URL is set, then the app subscribes with the secret and the update types; a refusal is logged, not fatal', async () => {
    const { max, app, stop } = await startMaxApp({
      database: 'max_subscribe',
      env: { MAX_WEBHOOK_URL: 'https://mcu.example.org/max/webhook' },
    });
    try {
      expect(max.subscriptions).toEqual([
        {
          url: 'https://mcu.example.org/max/webhook',
          secret: MAX_WEBHOOK_SECRET,
          update_types: expect.arrayContaining(['message_created', 'message_callback', 'bot_started', 'bot_added']),
          time: expect.any(Number),
        },
      ]);
      expect(app.config.max?.mode).toBe('webhook');
      // GET /me named the bot: an invite now has a MAX deep link (binding it in MAX is part of officials in MAX).
      const invite = await waitFor(async () => {
        const res = await fetch(`${app.info.httpUrl}/api/v1/officials/invites`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Иванов И. И.', department: 'mcu', role: 'operator' }),
        });
        const body = (await res.json()) as { links?: { max?: string | null } };
        return body.links?.max ? body.links.max : undefined;
      });
      expect(invite).toMatch(new RegExp(`^https://max\\.ru/${max.bot.username}\\?start=`));
    } finally {
      await stop();
    }
    const refused = await startMaxApp({
      database: 'max_subscribe_refused',
      env: { MAX_WEBHOOK_URL: 'https://mcu.example.org/max/webhook' },
      prepare: (fake) => fake.fail({ method: 'POST', path: '/subscriptions', status: 500, code: 'internal.error' }),
    });
    try {
      expect(refused.max.subscriptions).toHaveLength(0);
      expect((await fetch(`${refused.app.info.httpUrl}/health`)).status).toBe(200);
    } finally {
      await refused.stop();
    }
  });
});
