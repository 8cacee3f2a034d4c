import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { apiCall, startTelegramApp, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { seedCase } from '../helpers/rows.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

const CITIZEN = 8101;
const OFFICIAL = 8201;
const OPERATOR = 8301;
const OPERATORS_CHAT = -1009001;

describe('officials and operators act on a case in Telegram: assign, ask the citizen, extend, merge, stats (Bot API emulator)', () => {
  let testDb: TestDatabase;
  let emulator: TelegramEmulator;
  let app: App;
  let stop: () => Promise<void>;
  let caseId = 0;
  let caseNumber = '';

  const client = (userId: number, chatId = userId) =>
    emulator.server.getClient(emulator.token, { userId, chatId, firstName: `U${userId}`, userName: `u${userId}` });
  const say = async (userId: number, text: string, expect: RegExp) => {
    const seen = botMessagesTo(emulator.server, userId).length;
    const c = client(userId);
    await (text.startsWith('/') ? c.sendCommand(c.makeCommand(text)) : c.sendMessage(c.makeMessage(text)));
    return waitForBotMessage(emulator.server, userId, expect, seen);
  };
  const press = async (userId: number, data: string, expect: RegExp, chatId = userId) => {
    const seen = botMessagesTo(emulator.server, chatId).length;
    const c = client(userId, chatId);
    await c.sendCallback(c.makeCallbackQuery(data));
    return waitForBotMessage(emulator.server, chatId, expect, seen);
  };
  const api = (method: string, path: string, body?: unknown) => apiCall(app, method, path, body);
  const caseRow = () =>
    testDb.handle.db
      .selectFrom('case')
      .select(['status', 'department', 'paused_at', 'deadline_at', 'assignee_id'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    ({ testDb, emulator, app, stop } = await startTelegramApp({
      database: 'tg_case_actions',
      env: { TELEGRAM_OPERATORS_CHAT_ID: String(OPERATORS_CHAT) },
    }));
    for (const [id, department, role] of [
      [OFFICIAL, 'adm-industrial', 'official'],
      [OPERATOR, 'mcu', 'operator'],
    ] as const) {
      const invite = await api('POST', '/api/v1/officials/invites', { name: `P${id}`, department, role });
      await say(id, `/start ${invite.body.token}`, /Вы подключены/);
    }
    // A citizen consents and writes: a case is opened.
    await say(CITIZEN, '/start', /согласие|согласны/i);
    await press(CITIZEN, 'consent:yes', /Спасибо/);
    const opened = await say(CITIZEN, 'Во дворе дома на ул. Малахова, 86 третий день не вывозят мусор', /зарегистрировано/);
    caseNumber = /МЦУ-\d{4}-\d{6}/.exec(opened)?.[0] ?? '';
    const row = await testDb.handle.db.selectFrom('case').select('id').where('number', '=', caseNumber).executeTakeFirstOrThrow();
    caseId = row.id;
  });
  afterAll(() => stop?.());

  it('when an operator assigns the case with /assign, then the department official gets the card with all its buttons', async () => {
    expect(await say(OFFICIAL, `/assign ${caseNumber} adm-industrial`, /Недостаточно прав/)).toBeTruthy();
    expect(await say(OPERATOR, `/assign ${caseNumber}`, /Команда: \/assign/)).toBeTruthy();
    expect(await say(OPERATOR, `/assign ${caseNumber} nowhere`, /Нет подразделения «nowhere»/)).toBeTruthy();
    const seen = botMessagesTo(emulator.server, OFFICIAL).length;
    expect(
      await say(OPERATOR, `/assign ${caseNumber} adm-industrial`, /передано: Администрация Индустриального района/),
    ).toBeTruthy();
    const card = await waitForBotMessage(emulator.server, OFFICIAL, new RegExp(`Новое обращение ${caseNumber}`), seen);
    expect(card).toContain('Малахова');
    const markup = JSON.stringify(botMessagesTo(emulator.server, OFFICIAL).find((m) => m.text === card)?.replyMarkup);
    for (const data of [`take:${caseId}`, `answer:${caseId}:final`, `extend:${caseId}`, `ask:${caseId}`, `redirect:${caseId}`])
      expect(markup).toContain(data);
    await press(OFFICIAL, `take:${caseId}`, /взято в работу/);
    expect((await caseRow()).assignee_id).not.toBeNull();
  });

  it('when the official asks the citizen, then the clock stops until the citizen answers, and the official hears back', async () => {
    await press(OFFICIAL, `ask:${caseId}`, /Напишите вопрос жителю/);
    const seen = botMessagesTo(emulator.server, CITIZEN).length;
    expect(
      await say(OFFICIAL, 'Уточните, пожалуйста, номер подъезда, у которого стоят контейнеры.', /отправлен жителю/),
    ).toContain('Срок остановлен');
    expect(await waitForBotMessage(emulator.server, CITIZEN, /Уточнение по обращению/, seen)).toContain('номер подъезда');
    const paused = await caseRow();
    expect(paused.paused_at).not.toBeNull();

    const before = botMessagesTo(emulator.server, OFFICIAL).length;
    expect(await say(CITIZEN, 'У третьего подъезда', /присоединено к обращению/)).toContain(caseNumber);
    await waitForBotMessage(emulator.server, OFFICIAL, /Житель ответил на уточнение/, before);
    const resumed = await caseRow();
    expect(resumed.paused_at).toBeNull();
    expect(resumed.deadline_at?.getTime()).toBeGreaterThanOrEqual(paused.deadline_at?.getTime() ?? 0);
  });

  it('when the official asks for more time, then the operators decide in their chat and the citizen is told the new term', async () => {
    await press(OFFICIAL, `extend:${caseId}`, /почему нужно больше времени/);
    const alertsSeen = botMessagesTo(emulator.server, OPERATORS_CHAT).length;
    expect(await say(OFFICIAL, 'Контейнерная площадка на ремонте до пятницы', /отправлен оператору/)).toBeTruthy();
    const alert = await waitForBotMessage(emulator.server, OPERATORS_CHAT, /Просят продлить срок/, alertsSeen);
    expect(alert).toContain('Контейнерная площадка на ремонте');
    const markup = JSON.stringify(botMessagesTo(emulator.server, OPERATORS_CHAT).find((m) => m.text === alert)?.replyMarkup);
    const requestId = /extd:(\d+):yes/.exec(markup)?.[1];
    expect(requestId).toBeDefined();

    // An official pressing the operators' button changes nothing.
    const official = client(OFFICIAL, OPERATORS_CHAT);
    await official.sendCallback(official.makeCallbackQuery(`extd:${requestId}:yes`));
    const before = (await caseRow()).deadline_at;
    const citizenSeen = botMessagesTo(emulator.server, CITIZEN).length;
    const officialSeen = botMessagesTo(emulator.server, OFFICIAL).length;
    const operator = client(OPERATOR, OPERATORS_CHAT);
    await operator.sendCallback(operator.makeCallbackQuery(`extd:${requestId}:yes`));
    expect(await waitForBotMessage(emulator.server, CITIZEN, /Срок рассмотрения обращения .* продлён до/, citizenSeen)).toContain(
      'Контейнерная площадка',
    );
    await waitForBotMessage(emulator.server, OFFICIAL, /продлён/, officialSeen);
    const after = (await caseRow()).deadline_at;
    expect(after?.getTime()).toBeGreaterThan(before?.getTime() ?? 0);
    const list = await api('GET', `/api/v1/extensions?caseId=${caseId}`);
    expect(list.body.items).toEqual([
      expect.objectContaining({ state: 'approved', decidedBy: expect.stringMatching(/^operator:/) }),
    ]);
  });

  it('when an operator merges a duplicate and asks /stats, then both work; officials get «Недостаточно прав»', async () => {
    const dup = await say(CITIZEN, '/start', /./).then(async () => {
      await press(CITIZEN, 'case:new', /Опишите новую проблему/);
      return say(CITIZEN, 'Опять не вывезли мусор у третьего подъезда на Малахова, 86', /зарегистрировано/);
    });
    const dupNumber = /МЦУ-\d{4}-\d{6}/.exec(dup)?.[0] ?? '';
    expect(dupNumber).not.toBe(caseNumber);
    expect(await say(OFFICIAL, `/merge ${dupNumber} ${caseNumber}`, /Недостаточно прав/)).toBeTruthy();
    expect(await say(OPERATOR, `/merge ${dupNumber} oops`, /Команда: \/merge/)).toBeTruthy();
    const seen = botMessagesTo(emulator.server, CITIZEN).length;
    expect(await say(OPERATOR, `/merge ${dupNumber} ${caseNumber}`, /объединено/)).toBeTruthy();
    await waitForBotMessage(emulator.server, CITIZEN, new RegExp(`${dupNumber} объединено с обращением ${caseNumber}`), seen);
    await waitFor(async () => {
      const row = await testDb.handle.db
        .selectFrom('case')
        .select(['status', 'merged_into'])
        .where('number', '=', dupNumber)
        .executeTakeFirst();
      return row?.merged_into === caseId && row.status === 'closed';
    });

    expect(await say(OFFICIAL, '/stats', /Недостаточно прав/)).toBeTruthy();
    // /help shows each their own commands; a citizen sees the citizen's help.
    expect(await say(OFFICIAL, '/help', /Для сотрудников/)).not.toContain('Для операторов');
    expect(await say(OPERATOR, '/help', /Для сотрудников/)).toContain('/assign');
    expect(await say(CITIZEN, '/help', /Как пользоваться ботом/)).not.toContain('/my');
    expect(await say(OPERATOR, '/frobnicate', /Такой команды нет/)).toContain('/assign');
    expect(await say(OPERATOR, '/stats 0', /Команда: \/stats/)).toBeTruthy();
    expect(await say(OPERATOR, '/stats 7', /За 7 дн\.: обращений — 1/)).toContain('Меньше 5 обращений');
  });

  it('when the official answers with a photo and a caption, then the answer keeps the photo for delivery', async () => {
    const db = testDb.handle.db;
    const created = await seedCase(db, {
      number: 'МЦУ-2026-450001',
      status: 'in_progress',
      text: 'Сломана лавочка',
      department: 'adm-industrial',
    });
    await press(OFFICIAL, `answer:${created.id}:final`, /Напишите ответ по существу/);
    const seen = botMessagesTo(emulator.server, OFFICIAL).length;
    const c = client(OFFICIAL);
    const message = c.makeMessage('') as unknown as Record<string, unknown>;
    delete message.text;
    message.photo = [
      { file_id: 'small-id', file_unique_id: 's', width: 90, height: 90 },
      { file_id: 'large-id', file_unique_id: 'l', width: 1280, height: 960 },
    ];
    message.caption = 'Лавочку заменили 04.12, работы принял мастер участка Сидоров.';
    await c.sendMessage(message as never);
    await waitForBotMessage(emulator.server, OFFICIAL, /отправлен жителю/, seen);
    const answer = await db
      .selectFrom('answer')
      .select(['text', 'photos'])
      .where('case_id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(answer).toEqual({ text: expect.stringContaining('Лавочку заменили'), photos: [{ telegramFileId: 'large-id' }] });
  });
});
