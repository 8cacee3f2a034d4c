import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ru } from '../../bots/texts/ru.js';
import type { App } from '../../src/app.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { apiCall, inboxSettled, MAX_WEBHOOK_SECRET, startTelegramMaxApp, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { type MaxApiFake, type MaxPerson, type MaxSent, maxMessage, maxUpdates, maxUser } from '../helpers/max-fake.js';
import { seedCase, seedReminder } from '../helpers/rows.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

/**
 * Officials and МЦУ operators in MAX (issue 12), driven from outside: real MAX update shapes delivered to
 * POST /max/webhook, the bot's sends read back from the MAX Bot API fake, and Telegram's Bot API emulator
 * for the person bound in both messengers.
 */

/** The МЦУ operators' MAX group: with no Telegram operators' chat set, alerts go there. */
const OPERATORS = -70_000_000_777;

/** An official of housing-utilities («нет горячей воды» is routed there), bound by the deep link. */
const OFFICIAL: MaxPerson = { userId: 5_560_101, firstName: 'Ирина', lastName: 'Соколова', username: 'sokolova_max' };
const OFFICIAL_DIALOG = 8_100_101;
/** An МЦУ operator, bound by typing `/start <token>`. */
const OPERATOR: MaxPerson = { userId: 5_560_102, firstName: 'Олег', username: 'oleg_mcu' };
const OPERATOR_DIALOG = 8_100_102;
/** Someone who opens an invite already used. */
const LATECOMER: MaxPerson = { userId: 5_560_103, firstName: 'Пётр' };
const LATECOMER_DIALOG = 8_100_103;
/** Someone who opens the bot from a link that is no invite. */
const GUEST: MaxPerson = { userId: 5_560_104, firstName: 'Гость' };
const GUEST_DIALOG = 8_100_104;
/** An official of `construction` bound in Telegram (user TG_BOTH) and in MAX. */
const BOTH: MaxPerson = { userId: 5_560_105, firstName: 'Светлана' };
const BOTH_DIALOG = 8_100_105;
const TG_BOTH = 7105;

const CITIZEN: MaxPerson = { userId: 5_560_201, firstName: 'Анна', lastName: 'Житель', username: 'anna_citizen' };
const CITIZEN_DIALOG = 8_100_201;
const CITIZEN2: MaxPerson = { userId: 5_560_202, firstName: 'Борис' };
const CITIZEN2_DIALOG = 8_100_202;

const CASE_NUMBER = /МЦУ-\d{4}-\d{6}/;
const GOOD_ANSWER = 'Бригада МУП «Водоканал» устранила порыв 02.12, горячая вода подана. Ответственный — мастер Петров И. С.';

describe('officials and operators in MAX (webhook, MAX Bot API fake; Telegram emulator for the second messenger)', () => {
  let testDb: TestDatabase;
  let max: MaxApiFake;
  let emulator: TelegramEmulator;
  let app: App;
  let stop: () => Promise<void>;
  let url: string;

  let officialId = 0;
  let caseId = 0;
  let caseNumber = '';
  let case2Id = 0;
  let case2Number = '';

  const db = () => testDb.handle.db;
  const api = (method: string, path: string, body?: unknown) => apiCall(app, method, path, body);
  const post = async (update: unknown) => {
    const res = await max.deliver(update, { url, secret: MAX_WEBHOOK_SECRET });
    expect(res.status).toBe(200);
    return res;
  };
  /** The first message the bot sent to `chat` after the first `skip` sends whose text matches. */
  const sentTo = (chat: number, pattern: RegExp, skip = 0): Promise<MaxSent> =>
    waitFor(() => max.sent.slice(skip).find((m) => m.chatId === chat && pattern.test(m.text))).catch((error: Error) => {
      const texts = max.sent.slice(skip).flatMap((m) => (m.chatId === chat ? [m.text.slice(0, 100)] : []));
      throw new Error(`${error.message}: the bot did not send ${pattern} to ${chat}; it sent ${JSON.stringify(texts)}`);
    });
  const payloadsOf = (m: MaxSent) => (m.keyboard ?? []).flat().map((b) => b.payload);
  const buttonOf = (m: MaxSent, label: string): string => {
    const button = (m.keyboard ?? []).flat().find((b) => b.text === label);
    if (!button?.payload) throw new Error(`no «${label}» button under «${m.text.slice(0, 60)}»`);
    return button.payload;
  };
  const botSender = () => ({
    user_id: max.bot.userId,
    first_name: max.bot.firstName,
    name: max.bot.firstName,
    username: max.bot.username,
    is_bot: true,
  });
  /** The bot's message as MAX shows it inside an update (a press's `message`): with its keyboard. */
  const shown = (m: MaxSent, viewer: MaxPerson) => {
    const chatId = m.chatId ?? 0;
    return maxMessage({
      sender: botSender(),
      chatId,
      chatType: chatId < 0 ? 'chat' : 'dialog',
      recipientUserId: chatId < 0 ? null : viewer.userId,
      text: m.text,
      attachments: [...m.attachments, ...(m.keyboard ? [{ type: 'inline_keyboard', payload: { buttons: m.keyboard } }] : [])],
      mid: m.mid,
    });
  };
  /** A press of the button `label` under the bot's message `m`, by `who` (one update: deliver it once or more). */
  const pressUpdate = (who: MaxPerson, m: MaxSent, label: string) =>
    maxUpdates.callback({ from: who, chatId: m.chatId ?? 0, payload: buttonOf(m, label), under: shown(m, who) });
  const callbackIdOf = (update: Record<string, unknown>) => (update.callback as { callback_id: string }).callback_id;
  const press = async (who: MaxPerson, m: MaxSent, label: string) => {
    const update = pressUpdate(who, m, label);
    await post(update);
    return callbackIdOf(update);
  };
  const write = (who: MaxPerson, chat: number, text: string) =>
    post(maxUpdates.messageCreated({ from: who, chatId: chat, text, botId: max.bot.userId }));
  /** Writes in a dialog and waits for the bot's reply matching `expect`. */
  const say = async (who: MaxPerson, chat: number, text: string, expect: RegExp) => {
    const seen = max.sent.length;
    await write(who, chat, text);
    return sentTo(chat, expect, seen);
  };
  const start = (who: MaxPerson, chat: number, payload?: string) =>
    post(maxUpdates.botStarted({ from: who, chatId: chat, ...(payload !== undefined ? { payload } : {}) }));
  const answersTo = (callbackId: string) => max.answers.filter((a) => a.callbackId === callbackId);
  const caseRow = (id: number) =>
    db().selectFrom('case').select(['status', 'department', 'assignee_id']).where('id', '=', id).executeTakeFirstOrThrow();
  const maxAccountOf = (userId: number) =>
    db()
      .selectFrom('official_account')
      .select(['official_id', 'chat_id', 'blocked_at'])
      .where('channel', '=', 'max')
      .where('user_id', '=', String(userId))
      .executeTakeFirst();

  /** A citizen starts the bot, consents and writes `text`: the case's id and number. */
  const citizenOpensCase = async (who: MaxPerson, chat: number, text: string) => {
    let seen = max.sent.length;
    await start(who, chat);
    const prompt = await sentTo(chat, /согласие на обработку персональных данных/, seen);
    seen = max.sent.length;
    await press(who, prompt, ru.consentYes);
    await sentTo(chat, /Спасибо! Теперь опишите проблему/, seen);
    const opened = await say(who, chat, text, /зарегистрировано под номером/);
    const number = CASE_NUMBER.exec(opened.text)?.[0] ?? '';
    const row = await db().selectFrom('case').select('id').where('number', '=', number).executeTakeFirstOrThrow();
    return { id: row.id, number };
  };

  /** An invite through the API, with its MAX deep link once the bot knows its username (GET /me at start). */
  const invite = async (person: { name: string; department: string; role: string }) => {
    const created = await api('POST', '/api/v1/officials/invites', person);
    expect(created.status).toBe(201);
    const id = Number(created.body.officialId);
    const maxLink = (body: Record<string, unknown>) => (body.links as { max?: string | null }).max ?? undefined;
    // In webhook mode GET /me runs in the background: until it has, the MAX link is null; invite the person again.
    const link = new URL(
      maxLink(created.body) ?? (await waitFor(async () => maxLink((await api('POST', `/api/v1/officials/${id}/invites`)).body))),
    );
    expect(`${link.origin}${link.pathname}`).toBe(`https://max.ru/${max.bot.username}`);
    return { id, token: link.searchParams.get('start') ?? '' };
  };
  const inviteAgain = async (id: number) => {
    const again = await api('POST', `/api/v1/officials/${id}/invites`);
    expect(again.status).toBe(201);
    return String(again.body.token);
  };

  beforeAll(async () => {
    ({ testDb, max, emulator, app, stop } = await startTelegramMaxApp({
      database: 'max_officials',
      env: { MAX_OPERATORS_CHAT_ID: String(OPERATORS) },
    }));
    url = `${app.info.httpUrl}/max/webhook`;
  });
  afterAll(() => stop?.());

  it('when an official opens the invite deep link (bot_started with the payload), then the account is bound; the link works once; other payloads greet', async () => {
    const invited = await invite({ name: 'Соколова И. А.', department: 'housing-utilities', role: 'official' });
    officialId = invited.id;
    let seen = max.sent.length;
    await start(OFFICIAL, OFFICIAL_DIALOG, invited.token);
    const bound = await sentTo(OFFICIAL_DIALOG, /Вы подключены к боту МЦУ/, seen);
    expect(bound.text).toContain('Соколова И. А.');
    expect(bound.text).toContain('/my');
    // The person has a MAX account now, its dialog is where notices go, and MAX is their messenger.
    expect(await maxAccountOf(OFFICIAL.userId)).toMatchObject({ official_id: officialId, chat_id: String(OFFICIAL_DIALOG) });
    const listed = ((await api('GET', '/api/v1/officials')).body.items as { id: number }[]).find((p) => p.id === officialId);
    expect(listed).toMatchObject({
      preferredChannel: 'max',
      accounts: [{ channel: 'max', userId: String(OFFICIAL.userId), blocked: false }],
    });
    const audit = await db()
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'official_bound')
      .where('entity_id', '=', String(officialId))
      .execute();
    expect(audit).toEqual([{ actor: `account:max:${OFFICIAL.userId}` }]);

    // The same link a second time, by someone else: the polite refusal, nothing bound.
    seen = max.sent.length;
    await start(LATECOMER, LATECOMER_DIALOG, invited.token);
    expect((await sentTo(LATECOMER_DIALOG, /приглашение уже использовано/, seen)).text).toBe(ru.inviteRefused.used);
    expect(await maxAccountOf(LATECOMER.userId)).toBeUndefined();

    // A deep link that is no invite (a promo banner, say): the citizens' greeting, not an error.
    seen = max.sent.length;
    await start(GUEST, GUEST_DIALOG, 'promo_city_day');
    const prompt = await sentTo(GUEST_DIALOG, /согласие на обработку персональных данных/, seen);
    expect(payloadsOf(prompt)).toEqual(['consent:yes', 'consent:no']);
    expect(max.sent.slice(seen).some((m) => m.chatId === GUEST_DIALOG && /Здравствуйте! Это бот/.test(m.text))).toBe(true);
    // Typed `/start` with words that are no token, by someone who consented: the citizens' /start too,
    // never a message or a case.
    seen = max.sent.length;
    await press(GUEST, prompt, ru.consentYes);
    await sentTo(GUEST_DIALOG, /Спасибо! Теперь опишите проблему/, seen);
    seen = max.sent.length;
    await write(GUEST, GUEST_DIALOG, '/start hello');
    await sentTo(GUEST_DIALOG, /Здравствуйте! Это бот/, seen);
    // A 32-character token nobody issued, typed or opened: «not found».
    const unknown = 'A'.repeat(32);
    expect((await say(GUEST, GUEST_DIALOG, `/start ${unknown}`, /Ссылка-приглашение не найдена/)).text).toBe(
      ru.inviteRefused.unknown,
    );
    seen = max.sent.length;
    await start(GUEST, GUEST_DIALOG, unknown);
    await sentTo(GUEST_DIALOG, /Ссылка-приглашение не найдена/, seen);
    await inboxSettled(app);
    expect(await maxAccountOf(GUEST.userId)).toBeUndefined();
    expect(await db().selectFrom('message').select('text').execute()).toEqual([]);
    expect(await db().selectFrom('case').select('id').execute()).toEqual([]);
    expect(await db().selectFrom('dead_letter').select('reason').execute()).toEqual([]);

    // An operator binds by typing the command the link stands for.
    const operator = await invite({ name: 'Олегов О. О.', department: 'mcu', role: 'operator' });
    expect((await say(OPERATOR, OPERATOR_DIALOG, `/start ${operator.token}`, /Вы подключены/)).text).toContain('Олегов О. О.');
    expect(await maxAccountOf(OPERATOR.userId)).toMatchObject({ official_id: operator.id, chat_id: String(OPERATOR_DIALOG) });
  });

  it('when a citizen writes in MAX, then the official gets the card in MAX, takes it, answers; the citizen gets the answer and «Нет» reopens', async () => {
    ({ id: caseId, number: caseNumber } = await citizenOpensCase(
      CITIZEN,
      CITIZEN_DIALOG,
      'Третий день нет горячей воды, ул. Малахова, 89',
    ));
    expect(await caseRow(caseId)).toMatchObject({ status: 'assigned', department: 'housing-utilities' });

    // The new case's card, with the card's buttons as MAX callback payloads.
    const card = await sentTo(OFFICIAL_DIALOG, new RegExp(`Новое обращение ${caseNumber}`));
    expect(card.text).toContain('нет горячей воды');
    expect(payloadsOf(card)).toEqual(
      expect.arrayContaining([
        `take:${caseId}`,
        `answer:${caseId}:final`,
        `answer:${caseId}:interim`,
        `extend:${caseId}`,
        `ask:${caseId}`,
        `redirect:${caseId}`,
      ]),
    );

    let seen = max.sent.length;
    const take = await press(OFFICIAL, card, ru.takeButton);
    await sentTo(OFFICIAL_DIALOG, /Обращение взято в работу/, seen);
    expect(await caseRow(caseId)).toMatchObject({ status: 'in_progress', assignee_id: officialId });
    // The press was answered (the client stops waiting), with nothing to notify.
    await waitFor(() => (answersTo(take).length > 0 ? true : undefined));
    expect(answersTo(take)).toEqual([{ callbackId: take, body: {} }]);

    seen = max.sent.length;
    await press(OFFICIAL, card, ru.answerButton);
    await sentTo(OFFICIAL_DIALOG, new RegExp(`Напишите ответ по существу по обращению ${caseNumber}`), seen);
    seen = max.sent.length;
    await write(OFFICIAL, OFFICIAL_DIALOG, GOOD_ANSWER);
    await sentTo(OFFICIAL_DIALOG, new RegExp(`Ответ по обращению ${caseNumber} отправлен жителю`), seen);
    await sentTo(CITIZEN_DIALOG, /Ответ по вашему обращению:\s+Бригада МУП «Водоканал»/, seen);
    expect(await caseRow(caseId)).toMatchObject({ status: 'answered' });
    // The official's text is an answer, not a citizen's message.
    expect(await db().selectFrom('message').select('id').where('text', '=', GOOD_ANSWER).execute()).toEqual([]);
    const answers = await db().selectFrom('answer').select(['author', 'kind', 'state']).where('case_id', '=', caseId).execute();
    expect(answers).toEqual([{ author: `official:${officialId}`, kind: 'final', state: 'sent' }]);

    seen = max.sent.length;
    await app.queue?.send('ask-poll', { caseId, reminder: false });
    const poll = await sentTo(CITIZEN_DIALOG, /Проблема решена\?/, seen);
    expect(payloadsOf(poll)).toEqual([`poll:${caseId}:yes`, `poll:${caseId}:no`]);
    seen = max.sent.length;
    await press(CITIZEN, poll, ru.pollNo);
    await sentTo(CITIZEN_DIALOG, /Обращение возобновлено/, seen);
    expect((await caseRow(caseId)).status).toBe('reopened');
    // The assignee hears it in MAX, with the card's buttons.
    const reopened = await sentTo(OFFICIAL_DIALOG, new RegExp(`обращение ${caseNumber} возобновлено`), seen);
    expect(payloadsOf(reopened)).toContain(`answer:${caseId}:final`);
  });

  it('when staff type commands in MAX, then /my, /case, /queue, /stats and /help answer by role; a citizen gets «Недостаточно прав»; /foo opens no case', async () => {
    const my = await say(OFFICIAL, OFFICIAL_DIALOG, '/my', /Открытые обращения —/);
    expect(my.text).toContain(caseNumber);

    const card = await say(OFFICIAL, OFFICIAL_DIALOG, `/case ${caseNumber}`, new RegExp(`^Обращение ${caseNumber}`));
    expect(payloadsOf(card)).toEqual(expect.arrayContaining([`take:${caseId}`, `answer:${caseId}:final`, `extend:${caseId}`]));
    await say(OFFICIAL, OFFICIAL_DIALOG, '/case МЦУ-2026-999999', /Обращение МЦУ-2026-999999 не найдено/);
    await say(OFFICIAL, OFFICIAL_DIALOG, '/case 123', /Команда: \/case/);

    await seedCase(db(), { number: 'МЦУ-2026-600001', status: 'triage', text: 'Непонятно, куда это' });
    const queue = await say(OPERATOR, OPERATOR_DIALOG, '/queue', /Ждут распределения/);
    expect(queue.text).toContain('МЦУ-2026-600001');
    expect((await say(OFFICIAL, OFFICIAL_DIALOG, '/queue', /./)).text).toBe(ru.forbidden);

    const stats = await say(OPERATOR, OPERATOR_DIALOG, '/stats', /За 30 дн\.: обращений —/);
    expect(stats.text).toContain('Комитет жилищно-коммунального хозяйства города Барнаула: обращений');
    expect((await say(OFFICIAL, OFFICIAL_DIALOG, '/stats', /./)).text).toBe(ru.forbidden);

    // /help shows each their own commands, as in Telegram.
    expect((await say(OFFICIAL, OFFICIAL_DIALOG, '/help', /./)).text).toBe(ru.helpFor('official'));
    expect((await say(OPERATOR, OPERATOR_DIALOG, '/help', /./)).text).toBe(ru.helpFor('operator'));
    expect((await say(CITIZEN, CITIZEN_DIALOG, '/help', /./)).text).toBe(ru.helpFor(null));

    const cases = (await db().selectFrom('case').select('id').execute()).length;
    const messages = (await db().selectFrom('message').select('id').execute()).length;
    expect((await say(CITIZEN, CITIZEN_DIALOG, '/my', /./)).text).toBe(ru.forbidden);
    const unknown = await say(CITIZEN, CITIZEN_DIALOG, '/foo', /Такой команды нет/);
    expect(unknown.text).toBe(`${ru.unknownCommand}\n\n${ru.helpFor(null)}`);
    const staffUnknown = await say(OFFICIAL, OFFICIAL_DIALOG, '/foo bar', /Такой команды нет/);
    expect(staffUnknown.text).toBe(`${ru.unknownCommand}\n\n${ru.helpFor('official')}`);
    await inboxSettled(app);
    expect(await db().selectFrom('case').select('id').execute()).toHaveLength(cases);
    expect(await db().selectFrom('message').select('id').execute()).toHaveLength(messages);
  });

  it('when the same «Взять в работу» press is delivered twice, then it is decided once; a second tap is told the button is stale', async () => {
    ({ id: case2Id, number: case2Number } = await citizenOpensCase(
      CITIZEN2,
      CITIZEN2_DIALOG,
      'Из крана идёт ржавая горячая вода, ул. Георгия Исакова, 115',
    ));
    const card = await sentTo(OFFICIAL_DIALOG, new RegExp(`Новое обращение ${case2Number}`));
    const seen = max.sent.length;
    const take = pressUpdate(OFFICIAL, card, ru.takeButton);
    await Promise.all([post(take), post(take)]);
    await sentTo(OFFICIAL_DIALOG, /Обращение взято в работу/, seen);
    await inboxSettled(app);
    const id = callbackIdOf(take);
    expect(
      await db().selectFrom('inbox_event').select('id').where('event_id', '=', `message_callback:${id}`).execute(),
    ).toHaveLength(1);
    expect(max.sent.slice(seen).filter((m) => m.chatId === OFFICIAL_DIALOG && /взято в работу/.test(m.text))).toHaveLength(1);
    expect(answersTo(id)).toHaveLength(1);
    const moves = await db()
      .selectFrom('audit_log')
      .select('details')
      .where('entity', '=', 'case')
      .where('entity_id', '=', String(case2Id))
      .where('action', '=', 'status_changed')
      .execute();
    expect(moves.filter((m) => (m.details as { to?: string }).to === 'in_progress')).toHaveLength(1);

    // A second tap (a new callback): nothing changes, the button says it is stale.
    const again = await press(OFFICIAL, card, ru.takeButton);
    const answered = await waitFor(() => answersTo(again)[0]);
    expect(answered.body).toEqual({ notification: ru.staleButton });
    expect(await caseRow(case2Id)).toMatchObject({ status: 'in_progress', assignee_id: officialId });

    // A press under a message MAX no longer has (`message: null`): still decided, the reply by user_id.
    const before = max.sent.length;
    await post({
      ...maxUpdates.callback({ from: OFFICIAL, chatId: OFFICIAL_DIALOG, payload: buttonOf(card, ru.answerButton) }),
      message: null,
    });
    const prompt = await waitFor(() =>
      max.sent.slice(before).find((m) => m.userId === OFFICIAL.userId && m.text.includes(`по обращению ${case2Number}`)),
    );
    expect(prompt).toMatchObject({ chatId: null, text: ru.writeAnswer(case2Number, 'final') });
  });

  it('when an official asks for more time in MAX, then the alert with buttons reaches the operators’ MAX group; a non-operator is refused; the operator’s approval (delivered twice) edits the alert once', async () => {
    const card = [...max.sent].reverse().find((m) => m.chatId === OFFICIAL_DIALOG && m.text.includes(case2Number));
    if (!card) throw new Error('no card of the second case');
    let seen = max.sent.length;
    await press(OFFICIAL, card, ru.extendButton);
    await sentTo(OFFICIAL_DIALOG, new RegExp(`почему нужно больше времени по обращению ${case2Number}`), seen);
    seen = max.sent.length;
    await write(OFFICIAL, OFFICIAL_DIALOG, 'Ждём поставку запорной арматуры до 20.12');
    await sentTo(OFFICIAL_DIALOG, /Запрос на продление срока .* отправлен оператору МЦУ/, seen);

    const alert = await sentTo(OPERATORS, new RegExp(`Просят продлить срок по обращению ${case2Number}`), seen);
    expect(alert.text).toContain('Ждём поставку запорной арматуры');
    // The fake edits its record of the message in place: keep the text as it was sent.
    const alertText = alert.text;
    const request = await db()
      .selectFrom('extension_request')
      .select(['id', 'state'])
      .where('case_id', '=', case2Id)
      .executeTakeFirstOrThrow();
    expect(payloadsOf(alert)).toEqual([`extd:${request.id}:yes`, `extd:${request.id}:no`]);
    // Nothing of it went to Telegram: no operators' chat is configured there.
    expect(botMessagesTo(emulator.server, OPERATORS)).toEqual([]);

    // An official pressing the operators' button: «Недостаточно прав» on the button, nothing changes.
    const refused = await press(OFFICIAL, alert, ru.approveButton);
    expect((await waitFor(() => answersTo(refused)[0])).body).toEqual({ notification: ru.forbidden });
    await inboxSettled(app);
    expect(max.edits).toEqual([]);
    expect(
      (await db().selectFrom('extension_request').select('state').where('id', '=', request.id).executeTakeFirstOrThrow()).state,
    ).toBe('pending');

    // The operator approves; MAX delivers the press twice.
    seen = max.sent.length;
    const approve = pressUpdate(OPERATOR, alert, ru.approveButton);
    await Promise.all([post(approve), post(approve)]);
    const decision = `✅ Продление по ${case2Number} одобрено (@${OPERATOR.username}).`;
    const edit = await waitFor(() => max.edits.find((e) => e.mid === alert.mid));
    expect(edit.body).toEqual({ text: `${alertText}\n\n${decision}`, attachments: [] });
    // The alert in the group now says who decided and has no buttons.
    expect(max.sent.find((m) => m.mid === alert.mid)).toMatchObject({ text: `${alertText}\n\n${decision}`, keyboard: null });
    expect((await waitFor(() => answersTo(callbackIdOf(approve))[0])).body).toEqual({ notification: decision });
    // The citizen is told the new term, and the official that it was approved (in MAX).
    await sentTo(CITIZEN2_DIALOG, /продлён до/, seen);
    await sentTo(OFFICIAL_DIALOG, new RegExp(`Срок по обращению ${case2Number} продлён`), seen);
    await inboxSettled(app);
    expect(max.edits).toHaveLength(1);
    expect(answersTo(callbackIdOf(approve))).toHaveLength(1);
    expect(
      (await db().selectFrom('extension_request').select('state').where('id', '=', request.id).executeTakeFirstOrThrow()).state,
    ).toBe('approved');
    const decided = await db()
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'extension_decided')
      .where('entity_id', '=', String(case2Id))
      .execute();
    expect(decided).toHaveLength(1);
    expect(max.sent.slice(seen).filter((m) => m.chatId === CITIZEN2_DIALOG && /продлён до/.test(m.text))).toHaveLength(1);
  });

  it('when an official replies to a card in MAX, then that case is answered; a text with no case to answer is told how, and is no citizen message', async () => {
    let seen = max.sent.length;
    await write(OFFICIAL, OFFICIAL_DIALOG, 'Всё сделали');
    await sentTo(OFFICIAL_DIALOG, /Чтобы ответить, нажмите «Ответить»/, seen);

    const card = [...max.sent].reverse().find((m) => m.chatId === OFFICIAL_DIALOG && m.text.includes(case2Number));
    if (!card) throw new Error('no card of the second case');
    const text = 'Заменили участок стояка 05.12, вода чистая, проба взята. Ответственный — мастер Кузнецов А. В.';
    seen = max.sent.length;
    // A reply in MAX: the message links the card it answers (`link.type: reply` with the card's body).
    await post({
      update_type: 'message_created',
      timestamp: Date.now(),
      message: maxMessage({
        sender: maxUser(OFFICIAL),
        chatId: OFFICIAL_DIALOG,
        chatType: 'dialog',
        recipientUserId: max.bot.userId,
        text,
        // With a photo, which MAX answers cannot carry yet: the official is told.
        attachments: [{ type: 'image', payload: { photo_id: 1, token: 'photo.token.official', url: 'https://i.max.ru/1' } }],
        link: {
          type: 'reply',
          sender: botSender(),
          chat_id: OFFICIAL_DIALOG,
          message: { mid: card.mid, seq: 1, text: card.text, attachments: null },
        },
      }),
      user_locale: 'ru',
    });
    const sent = await sentTo(OFFICIAL_DIALOG, new RegExp(`Ответ по обращению ${case2Number} отправлен жителю`), seen);
    expect(sent.text).toBe(`${ru.answerSent(case2Number)}\n\n${ru.maxPhotosNotAttached}`);
    await sentTo(CITIZEN2_DIALOG, /Ответ по вашему обращению:\s+Заменили участок стояка/, seen);
    expect((await caseRow(case2Id)).status).toBe('answered');
    await inboxSettled(app);
    expect(await db().selectFrom('message').select('id').where('text', 'in', ['Всё сделали', text]).execute()).toEqual([]);
  });

  it('when a person is bound in Telegram and in MAX with MAX preferred, then notices go to MAX only; once MAX says the chat is blocked (403, bot_stopped), to Telegram; once they write or start the bot again, to MAX', async () => {
    // Bound in Telegram first, then in MAX by a second invite: MAX, bound last, is preferred.
    const created = await api('POST', '/api/v1/officials/invites', {
      name: 'Светлова С. С.',
      department: 'construction',
      role: 'official',
    });
    const id = Number(created.body.officialId);
    const tg = emulator.server.getClient(emulator.token, { userId: TG_BOTH, chatId: TG_BOTH, firstName: 'Светлана' });
    await tg.sendCommand(tg.makeCommand(`/start ${created.body.token}`));
    await waitForBotMessage(emulator.server, TG_BOTH, /Вы подключены/);
    let seen = max.sent.length;
    await start(BOTH, BOTH_DIALOG, await inviteAgain(id));
    await sentTo(BOTH_DIALOG, /Вы подключены/, seen);
    const person = async () => ((await api('GET', '/api/v1/officials')).body.items as { id: number }[]).find((p) => p.id === id);
    expect(await person()).toMatchObject({
      preferredChannel: 'max',
      accounts: expect.arrayContaining([
        expect.objectContaining({ channel: 'telegram', userId: String(TG_BOTH), blocked: false }),
        expect.objectContaining({ channel: 'max', userId: String(BOTH.userId), blocked: false }),
      ]),
    });

    let n = 0;
    /** A reminder at the deadline of a fresh case of the person's department: its number. */
    const remind = async () => {
      n += 1;
      const now = new Date();
      const number = `МЦУ-2026-7000${String(n).padStart(2, '0')}`;
      const created = await seedCase(db(), {
        number,
        text: `Не закрыт котлован у дома ${n}`,
        department: 'construction',
        deadline_at: now,
        at: now,
      });
      await seedReminder(db(), { case_id: created.id, kind: 'before:100', at: now });
      await app.queue?.send('remind', { caseId: created.id, kind: 'before:100' });
      return { caseId: created.id, number };
    };
    const tgSeen = () => botMessagesTo(emulator.server, TG_BOTH).length;

    // MAX preferred: the card in MAX, nothing in Telegram.
    let tgBefore = tgSeen();
    seen = max.sent.length;
    const first = await remind();
    const inMax = await sentTo(BOTH_DIALOG, new RegExp(`Срок истекает: обращение ${first.number}`), seen);
    expect(payloadsOf(inMax)).toContain(`take:${first.caseId}`);
    expect(
      botMessagesTo(emulator.server, TG_BOTH)
        .slice(tgBefore)
        .some((m) => m.text.includes(first.number)),
    ).toBe(false);

    // MAX answers 403 (the person blocked the bot): the account is marked and the card goes to Telegram.
    max.block(BOTH_DIALOG);
    tgBefore = tgSeen();
    seen = max.sent.length;
    const second = await remind();
    await waitForBotMessage(emulator.server, TG_BOTH, new RegExp(`Срок истекает: обращение ${second.number}`), tgBefore, 20_000);
    expect((await maxAccountOf(BOTH.userId))?.blocked_at).not.toBeNull();
    expect(max.sent.slice(seen).some((m) => m.chatId === BOTH_DIALOG)).toBe(false);
    expect(await person()).toMatchObject({
      accounts: expect.arrayContaining([expect.objectContaining({ channel: 'max', blocked: true })]),
    });

    // The person unblocks the bot and opens the dialog again (a start, no invite): the block is lifted,
    // MAX again, and only MAX.
    max.blocked.delete(BOTH_DIALOG);
    await start(BOTH, BOTH_DIALOG);
    await waitFor(async () => ((await maxAccountOf(BOTH.userId))?.blocked_at === null ? true : undefined));
    tgBefore = tgSeen();
    seen = max.sent.length;
    const third = await remind();
    await sentTo(BOTH_DIALOG, new RegExp(`обращение ${third.number}`), seen);
    expect(
      botMessagesTo(emulator.server, TG_BOTH)
        .slice(tgBefore)
        .some((m) => m.text.includes(third.number)),
    ).toBe(false);

    // The person stops the bot in MAX (bot_stopped): the next card goes to Telegram without trying MAX.
    await post({
      update_type: 'bot_stopped',
      timestamp: Date.now(),
      chat_id: BOTH_DIALOG,
      user: maxUser(BOTH),
      user_locale: 'ru',
    });
    await waitFor(async () => ((await maxAccountOf(BOTH.userId))?.blocked_at ? true : undefined));
    tgBefore = tgSeen();
    seen = max.sent.length;
    const fourth = await remind();
    await waitForBotMessage(emulator.server, TG_BOTH, new RegExp(`Срок истекает: обращение ${fourth.number}`), tgBefore, 20_000);
    expect(max.sent.slice(seen).some((m) => m.chatId === BOTH_DIALOG)).toBe(false);
  });
});
