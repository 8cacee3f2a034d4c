import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { startTelegramApp, TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

const CASE_NUMBER = /МЦУ-\d{4}-\d{6}/;

describe('Telegram intake through the Bot API emulator (polling mode, real bot code)', () => {
  let testDb: TestDatabase;
  let emulator: TelegramEmulator;
  let app: App;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ testDb, emulator, app, stop } = await startTelegramApp({
      database: 'tg_intake',
      env: { TELEGRAM_OPERATORS_CHAT_ID: '-100555' },
    }));
  });
  afterAll(() => stop?.());

  const client = (userId: number, firstName = 'Анна') =>
    emulator.server.getClient(emulator.token, { userId, chatId: userId, firstName, userName: `u${userId}` });
  const count = async (table: 'message' | 'case' | 'citizen') =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(testDb.handle.db)).rows[0]?.n);

  it('when a citizen writes before consenting, then the bot asks for consent and stores nothing', async () => {
    const c = client(1001);
    await c.sendCommand(c.makeCommand('/start'));
    await waitForBotMessage(emulator.server, 1001, /согласие на обработку персональных данных/);
    const prompt = botMessagesTo(emulator.server, 1001).find((m) => m.replyMarkup);
    expect(JSON.stringify(prompt?.replyMarkup)).toContain('consent:yes');

    const before = botMessagesTo(emulator.server, 1001).length;
    await c.sendMessage(c.makeMessage('Нет воды на Попова 105'));
    await waitForBotMessage(emulator.server, 1001, /Сначала нужно ваше согласие/, before);
    expect(await count('message')).toBe(0);
    expect(await count('citizen')).toBe(0);
  });

  it('when the citizen consents and writes, then a case is opened and the reply carries its number and the response time', async () => {
    const c = client(1001);
    let seen = botMessagesTo(emulator.server, 1001).length;
    await c.sendCallback(c.makeCallbackQuery('consent:yes'));
    await waitForBotMessage(emulator.server, 1001, /Спасибо! Теперь опишите проблему/, seen);

    seen = botMessagesTo(emulator.server, 1001).length;
    await c.sendMessage(c.makeMessage('Третий день нет горячей воды, ул. Попова, 105 😡 <b>срочно</b>'));
    const reply = await waitForBotMessage(emulator.server, 1001, CASE_NUMBER, seen);
    expect(reply).toMatch(/Обращение зарегистрировано под номером МЦУ-\d{4}-\d{6}/);
    expect(reply).toContain('в течение 9 рабочих часов');

    const stored = await testDb.handle.db.selectFrom('case').selectAll().executeTakeFirstOrThrow();
    // Structured: the keyword rule decides the category; «ул. Попова» runs through two districts, so none.
    expect(stored).toMatchObject({ status: 'assigned', category: 'hot-water', district: null, channel: 'telegram' });
    expect(stored.district_reason).toMatch(/^ambiguous: /);
    expect(stored.text).toBe('Третий день нет горячей воды, ул. Попова, 105 😡 <b>срочно</b>');
    expect(reply).toContain(stored.number);
  });

  it('when a photo with a caption follows within the window, then it joins the same case', async () => {
    const c = client(1001);
    const seen = botMessagesTo(emulator.server, 1001).length;
    const photo = c.makeMessage('', {
      photo: [
        { file_id: 'small-photo', file_unique_id: 's', width: 90, height: 90 },
        { file_id: 'big-photo', file_unique_id: 'b', width: 1280, height: 960, file_size: 120000 },
      ],
      caption: 'Вот фото подъезда',
    });
    delete (photo as { text?: string }).text;
    await c.sendMessage(photo);
    const reply = await waitForBotMessage(emulator.server, 1001, /Дополнение принято/, seen);
    const cases = await testDb.handle.db.selectFrom('case').select(['id', 'number']).execute();
    expect(cases).toHaveLength(1);
    expect(reply).toContain(cases[0]?.number);
    const message = await testDb.handle.db
      .selectFrom('message')
      .select(['text', 'attachments', 'case_id'])
      .where('text', '=', 'Вот фото подъезда')
      .executeTakeFirstOrThrow();
    expect(message.attachments).toEqual([{ type: 'photo', fileId: 'big-photo', size: 120000 }]);
    expect(message.case_id).toBe(cases[0]?.id);
  });

  it('when the citizen taps «Новое обращение» and sends a location, then a second case with the geo point opens', async () => {
    const c = client(1001);
    let seen = botMessagesTo(emulator.server, 1001).length;
    await c.sendCallback(c.makeCallbackQuery('case:new'));
    await waitForBotMessage(emulator.server, 1001, /Опишите новую проблему/, seen);
    seen = botMessagesTo(emulator.server, 1001).length;
    const location = c.makeMessage('', { location: { latitude: 53.3475, longitude: 83.7784 } });
    delete (location as { text?: string }).text;
    await c.sendMessage(location);
    await waitForBotMessage(emulator.server, 1001, /зарегистрировано под номером/, seen);
    expect(await count('case')).toBe(2);
    const geo = await testDb.handle.db
      .selectFrom('message')
      .select(['geo_lat', 'geo_lon', 'attachments'])
      .where('geo_lat', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(geo).toEqual({ geo_lat: 53.3475, geo_lon: 83.7784, attachments: [{ type: 'location' }] });
  });

  it('when the citizen sends /status, then both cases are listed with their state', async () => {
    const c = client(1001);
    const seen = botMessagesTo(emulator.server, 1001).length;
    await c.sendCommand(c.makeCommand('/status'));
    const reply = await waitForBotMessage(emulator.server, 1001, /Ваши обращения/, seen);
    expect(reply.match(/МЦУ-\d{4}-\d{6} — передано исполнителю/g)).toHaveLength(1);
    expect(reply.match(/МЦУ-\d{4}-\d{6} — на распределении/g)).toHaveLength(1);
  });

  it('when an official answers, then a weak answer is sent back for revision and a concrete one reaches the citizen in the chat', async () => {
    const stored = await testDb.handle.db
      .selectFrom('case')
      .select(['id'])
      .where('category', '=', 'hot-water')
      .executeTakeFirstOrThrow();
    const answer = (body: unknown) =>
      fetch(`${app.info.httpUrl}/api/v1/cases/${stored.id}/answers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const weak = await answer({ text: 'Информация принята к сведению.', kind: 'final' });
    expect(weak.status).toBe(422);
    expect(await weak.json()).toMatchObject({
      error: { code: 'ANSWER_NEEDS_REVISION' },
      quality: { problems: expect.arrayContaining(['stock_phrase']) },
    });

    const seen = botMessagesTo(emulator.server, 1001).length;
    const good = await answer({
      text: 'Бригада МУП «Водоканал» устранила порыв 02.12, горячая вода подана. Ответственный — мастер Петров И. С.',
      kind: 'final',
    });
    expect(good.status).toBe(201);
    const delivered = await waitForBotMessage(emulator.server, 1001, /Ответ по вашему обращению/, seen);
    expect(delivered).toContain('Бригада МУП «Водоканал» устранила порыв');
    const row = await testDb.handle.db.selectFrom('case').select('status').where('id', '=', stored.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('answered');
    await waitFor(async () => {
      const a = await testDb.handle.db.selectFrom('answer').select('state').where('case_id', '=', stored.id).executeTakeFirst();
      return a?.state === 'sent' ? a : undefined;
    });
  });

  it('when the satisfaction poll is asked and the citizen says «Нет», then the case is reopened and the operators are told', async () => {
    const stored = await testDb.handle.db
      .selectFrom('case')
      .select(['id', 'number'])
      .where('category', '=', 'hot-water')
      .executeTakeFirstOrThrow();
    const seen = botMessagesTo(emulator.server, 1001).length;
    // The poll is scheduled 2 h after the final answer; the test asks now through the same job.
    await app.queue?.send('ask-poll', { caseId: stored.id, reminder: false });
    const poll = await waitForBotMessage(emulator.server, 1001, /Проблема решена\?/, seen);
    expect(poll).toContain(stored.number);
    const pollMessage = botMessagesTo(emulator.server, 1001).find((m) => m.text === poll);
    expect(JSON.stringify(pollMessage?.replyMarkup)).toContain(`poll:${stored.id}:no`);

    // Someone else pressing the button changes nothing.
    const stranger = client(9009, 'Чужой');
    await stranger.sendCallback(stranger.makeCallbackQuery(`poll:${stored.id}:no`));
    const c = client(1001);
    const before = botMessagesTo(emulator.server, 1001).length;
    await c.sendCallback(c.makeCallbackQuery(`poll:${stored.id}:no`));
    await waitForBotMessage(emulator.server, 1001, /Обращение возобновлено/, before);
    const row = await testDb.handle.db.selectFrom('case').select('status').where('id', '=', stored.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('reopened');
    expect(await waitForBotMessage(emulator.server, -100555, /возобновлено/)).toContain(stored.number);
    const polls = await testDb.handle.db
      .selectFrom('poll')
      .select(['state', 'solved'])
      .where('case_id', '=', stored.id)
      .execute();
    expect(polls).toEqual([{ state: 'answered', solved: false }]);
  });

  it('when a citizen reports an emergency, then the case is urgent and the operators chat gets an alert at once', async () => {
    const c = client(1001);
    await c.sendCallback(c.makeCallbackQuery('case:new'));
    await waitForBotMessage(emulator.server, 1001, /Опишите новую проблему/, botMessagesTo(emulator.server, 1001).length - 1);
    await c.sendMessage(c.makeMessage('Прорыв трубы в подвале дома на Власихе, вода прибывает'));
    const alert = await waitForBotMessage(emulator.server, -100555, /Срочное обращение МЦУ-\d{4}-\d{6}/);
    expect(alert).toContain('Прорыв трубы в подвале');
    expect(alert).toContain('always: прорыв трубы');
    expect(alert).toContain('район: industrial');
  });

  it('when a citizen declines consent, then only the decision is kept and messages are refused', async () => {
    const c = client(2002, 'Пётр');
    await c.sendCallback(c.makeCallbackQuery('consent:no'));
    await waitForBotMessage(emulator.server, 2002, /не будем хранить ваши данные/);
    const seen = botMessagesTo(emulator.server, 2002).length;
    await c.sendMessage(c.makeMessage('Яма на дороге'));
    await waitForBotMessage(emulator.server, 2002, /Вы отказались от обработки/, seen);
    const citizen = await testDb.handle.db
      .selectFrom('citizen')
      .select(['consent', 'display_name', 'username'])
      .where('external_id', '=', '2002')
      .executeTakeFirstOrThrow();
    expect(citizen).toEqual({ consent: 'declined', display_name: null, username: null });
    const messages = await testDb.handle.db.selectFrom('message').select('id').where('text', '=', 'Яма на дороге').execute();
    expect(messages).toHaveLength(0);
  });

  it('when the bot is added to a city chat, then the chat waits for approval; once approved its messages are captured silently', async () => {
    const group = emulator.server.getClient(emulator.token, {
      userId: 3003,
      chatId: -100777,
      type: 'supergroup',
      chatTitle: 'Барнаул | Новости',
    });
    // The emulator cannot send my_chat_member (the webhook tests do); register through the same use case.
    const registered = await app.intakeApi().registerSource({
      channel: 'telegram',
      source: { externalId: '-100777', kind: 'city_chat', title: 'Барнаул | Новости', official: false },
    });
    expect(registered.status).toBe('pending');

    await group.sendMessage(group.makeMessage('Во дворе не вывозят мусор неделю'));
    await new Promise((r) => setTimeout(r, 700));
    expect(
      await testDb.handle.db.selectFrom('message').select('id').where('text', '=', 'Во дворе не вывозят мусор неделю').execute(),
    ).toHaveLength(0);

    const approve = await fetch(`${app.info.httpUrl}/api/v1/sources/${registered.id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ official: false }),
    });
    expect(approve.status).toBe(200);
    await group.sendMessage(group.makeMessage('На Юрина сломан светофор'));
    const stored = await waitFor(() =>
      testDb.handle.db
        .selectFrom('message')
        .select(['kind', 'case_id'])
        .where('text', '=', 'На Юрина сломан светофор')
        .executeTakeFirst(),
    );
    expect(stored.kind).toBe('chat');
    await waitFor(async () => {
      const row = await testDb.handle.db
        .selectFrom('message')
        .select('case_id')
        .where('text', '=', 'На Юрина сломан светофор')
        .executeTakeFirst();
      return row?.case_id ?? undefined;
    });
    // Silent capture: the bot never writes into the group.
    expect(botMessagesTo(emulator.server, -100777)).toHaveLength(0);
  });
});
