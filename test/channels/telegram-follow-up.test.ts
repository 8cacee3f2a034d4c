import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { startTelegramApp } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

const CASE_NUMBER = /МЦУ-\d{4}-\d{6}/;

describe('Telegram: a follow-up about something else asks «дополнение или новое обращение?» (emulator, real bot code)', () => {
  let testDb: TestDatabase;
  let emulator: TelegramEmulator;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ testDb, emulator, stop } = await startTelegramApp({
      database: 'tg_follow_up',
      env: { APP_ROLES: 'telegram,worker' },
    }));
  });
  afterAll(() => stop?.());

  const client = (userId: number, firstName = 'Ирина') =>
    emulator.server.getClient(emulator.token, { userId, chatId: userId, firstName, userName: `u${userId}` });
  const buttonsOf = (markup: unknown): { text: string; callback_data: string }[] =>
    ((markup as { inline_keyboard?: { text: string; callback_data: string }[][] })?.inline_keyboard ?? []).flat();
  const cases = () => testDb.handle.db.selectFrom('case').select(['number', 'text']).orderBy('id').execute();

  it('when the citizen writes about two unrelated problems and presses «Новое обращение», then the second one gets its own number', async () => {
    const c = client(4004);
    let seen = botMessagesTo(emulator.server, 4004).length;
    await c.sendCallback(c.makeCallbackQuery('consent:yes'));
    await waitForBotMessage(emulator.server, 4004, /Спасибо! Теперь опишите проблему/, seen);

    seen = botMessagesTo(emulator.server, 4004).length;
    await c.sendMessage(c.makeMessage('Третий день нет горячей воды, ул. Попова, 105'));
    const first = (await waitForBotMessage(emulator.server, 4004, /зарегистрировано под номером/, seen)).match(CASE_NUMBER)?.[0];
    expect(first).toBeDefined();

    seen = botMessagesTo(emulator.server, 4004).length;
    await c.sendMessage(c.makeMessage('Упало дерево на машину во дворе на Малахова 12'));
    const question = await waitForBotMessage(emulator.server, 4004, /или новое обращение\?/, seen);
    expect(question).toContain(`Это дополнение к обращению ${first}`);
    const markup = botMessagesTo(emulator.server, 4004).find((m) => m.text === question)?.replyMarkup;
    const buttons = buttonsOf(markup);
    expect(buttons.map((b) => b.text)).toEqual([`Дополнение к обращению ${first}`, 'Новое обращение']);
    expect(buttons.map((b) => b.callback_data)).toEqual([
      expect.stringMatching(/^fu:\d+:add$/),
      expect.stringMatching(/^fu:\d+:new$/),
    ]);
    // The message waits for the answer: still one case.
    expect(await cases()).toHaveLength(1);

    seen = botMessagesTo(emulator.server, 4004).length;
    await c.sendCallback(c.makeCallbackQuery(buttons[1]?.callback_data ?? ''));
    const reply = await waitForBotMessage(emulator.server, 4004, /зарегистрировано под номером/, seen);
    const second = reply.match(CASE_NUMBER)?.[0];
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(await cases()).toEqual([
      { number: first, text: 'Третий день нет горячей воды, ул. Попова, 105' },
      { number: second, text: 'Упало дерево на машину во дворе на Малахова 12' },
    ]);

    // A second press (either button) is stale: nothing more is registered or joined.
    await c.sendCallback(c.makeCallbackQuery(buttons[0]?.callback_data ?? ''));
    await new Promise((r) => setTimeout(r, 700));
    expect(await cases()).toHaveLength(2);
    const tree = await testDb.handle.db
      .selectFrom('message')
      .innerJoin('case', 'case.id', 'message.case_id')
      .select('case.number')
      .where('message.text', '=', 'Упало дерево на машину во дворе на Малахова 12')
      .executeTakeFirstOrThrow();
    expect(tree.number).toBe(second);
  });

  it('when a message may be chatter, then the bot asks «это обращение?» with two buttons; «Нет» opens nothing, «Да» opens a case', async () => {
    const c = client(4005, 'Олег');
    let seen = botMessagesTo(emulator.server, 4005).length;
    await c.sendCallback(c.makeCallbackQuery('consent:yes'));
    await waitForBotMessage(emulator.server, 4005, /Спасибо! Теперь опишите проблему/, seen);
    const before = (await cases()).length;

    seen = botMessagesTo(emulator.server, 4005).length;
    await c.sendMessage(c.makeMessage('Здравствуйте, а вы по выходным работаете?'));
    const asked = await waitForBotMessage(emulator.server, 4005, /это обращение о проблеме/, seen);
    const buttons = buttonsOf(botMessagesTo(emulator.server, 4005).find((m) => m.text === asked)?.replyMarkup);
    expect(buttons.map((b) => b.text)).toEqual(['Да, это обращение', 'Нет, не обращение']);
    expect(buttons.map((b) => b.callback_data)).toEqual([
      expect.stringMatching(/^int:\d+:yes$/),
      expect.stringMatching(/^int:\d+:no$/),
    ]);
    seen = botMessagesTo(emulator.server, 4005).length;
    await c.sendCallback(c.makeCallbackQuery(buttons[1]?.callback_data ?? ''));
    await waitForBotMessage(emulator.server, 4005, /обращение не регистрируем/, seen);
    expect(await cases()).toHaveLength(before);

    seen = botMessagesTo(emulator.server, 4005).length;
    await c.sendMessage(c.makeMessage('Подскажите, а можно сюда писать про двор?'));
    const again = await waitForBotMessage(emulator.server, 4005, /это обращение о проблеме/, seen);
    // The same question again: the newest one carries this message's buttons.
    const yes = buttonsOf(botMessagesTo(emulator.server, 4005).findLast((m) => m.text === again)?.replyMarkup)[0];
    seen = botMessagesTo(emulator.server, 4005).length;
    await c.sendCallback(c.makeCallbackQuery(yes?.callback_data ?? ''));
    await waitForBotMessage(emulator.server, 4005, /зарегистрировано под номером/, seen);
    expect(await cases()).toHaveLength(before + 1);
  });
});
