import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { startTelegramApp, TEST_API_TOKEN } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

const CITIZEN = 3001;

describe('the poll comment in Telegram: rate → «Добавить комментарий» → the next message (Bot API emulator)', () => {
  let testDb: TestDatabase;
  let emulator: TelegramEmulator;
  let app: App;
  let stop: () => Promise<void>;
  let caseId = 0;

  const client = (userId: number) =>
    emulator.server.getClient(emulator.token, { userId, chatId: userId, firstName: 'Ольга', userName: `u${userId}` });
  const press = async (userId: number, data: string, expect: RegExp) => {
    const seen = botMessagesTo(emulator.server, userId).length;
    const c = client(userId);
    await c.sendCallback(c.makeCallbackQuery(data));
    return waitForBotMessage(emulator.server, userId, expect, seen);
  };
  const write = async (text: string, expect: RegExp) => {
    const seen = botMessagesTo(emulator.server, CITIZEN).length;
    const c = client(CITIZEN);
    await c.sendMessage(c.makeMessage(text));
    return waitForBotMessage(emulator.server, CITIZEN, expect, seen);
  };
  const lastMarkup = () => JSON.stringify(botMessagesTo(emulator.server, CITIZEN).at(-1)?.replyMarkup);

  beforeAll(async () => {
    ({ testDb, emulator, app, stop } = await startTelegramApp({ database: 'tg_poll_comment' }));

    await press(CITIZEN, 'consent:yes', /Спасибо! Теперь опишите проблему/);
    await write('Не горит фонарь у подъезда, ул. Малахова, 89', /зарегистрировано под номером/);
    caseId = (await testDb.handle.db.selectFrom('case').select('id').executeTakeFirstOrThrow()).id;
    const call = (path: string, body: unknown) =>
      fetch(`${app.info.httpUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await call(`/api/v1/cases/${caseId}/status`, { to: 'assigned' });
    const seen = botMessagesTo(emulator.server, CITIZEN).length;
    const answered = await call(`/api/v1/cases/${caseId}/answers`, {
      text: 'Фонарь у подъезда заменён 03.12 бригадой «Горсвета», ответственный — мастер Сидоров А. В.',
      kind: 'final',
    });
    expect(answered.status).toBe(201);
    await waitForBotMessage(emulator.server, CITIZEN, /Ответ по вашему обращению/, seen);
  });
  afterAll(() => stop?.());

  it('when the citizen answers «Да» and rates 4, then the case is closed and the thanks offers «Добавить комментарий»', async () => {
    const seen = botMessagesTo(emulator.server, CITIZEN).length;
    await app.queue?.send('ask-poll', { caseId, reminder: false });
    await waitForBotMessage(emulator.server, CITIZEN, /Проблема решена\?/, seen);
    await press(CITIZEN, `poll:${caseId}:yes`, /Оцените, пожалуйста/);
    expect(lastMarkup()).toContain(`rate:${caseId}:4`);
    await press(CITIZEN, `rate:${caseId}:4`, /Спасибо за оценку! Обращение закрыто/);
    expect(lastMarkup()).toContain(`pollc:${caseId}`);
    expect(lastMarkup()).toContain('Добавить комментарий');
  });

  it('when a stranger presses «Добавить комментарий», then nothing is asked of them', async () => {
    const stranger = client(3999);
    await stranger.sendCallback(stranger.makeCallbackQuery(`pollc:${caseId}`));
    await new Promise((r) => setTimeout(r, 300));
    expect(botMessagesTo(emulator.server, 3999)).toEqual([]);
  });

  it('when the citizen presses «Добавить комментарий» and writes, then the message becomes the comment, not a new case', async () => {
    await press(CITIZEN, `pollc:${caseId}`, /Напишите комментарий одним сообщением/);
    await write('Спасибо, быстро сделали, но фонарь светит тускло', /Спасибо, комментарий передан/);
    const poll = await testDb.handle.db
      .selectFrom('poll')
      .select(['rating', 'comment'])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(poll).toEqual({ rating: 4, comment: 'Спасибо, быстро сделали, но фонарь светит тускло' });
    const cases = await testDb.handle.db.selectFrom('case').select(['id', 'status']).execute();
    expect(cases).toEqual([{ id: caseId, status: 'closed' }]);
    const audit = await fetch(`${app.info.httpUrl}/api/v1/cases/${caseId}/audit`, {
      headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
    });
    const items = ((await audit.json()) as { items: { action: string; details: Record<string, unknown> }[] }).items;
    expect(items.find((i) => i.action === 'poll_comment')?.details).toMatchObject({
      comment: 'Спасибо, быстро сделали, но фонарь светит тускло',
    });
  });

  it('when the citizen writes again, then it is an ordinary message: a new case', async () => {
    await write('Во дворе дома 91 на Малахова яма на дороге', /зарегистрировано под номером/);
    expect(await testDb.handle.db.selectFrom('case').select('id').execute()).toHaveLength(2);
  });
});
