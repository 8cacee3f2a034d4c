import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCallback } from '../../bots/telegram/callback-data.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { startTelegramApp, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

/** What the emulator keeps of each message the bot sent (edits update it in place). */
interface BotRecord {
  messageId: number;
  message: {
    chat_id?: number | string;
    text?: string;
    reply_markup?: { inline_keyboard?: { text: string; callback_data: string }[][] };
  };
}

describe('Telegram: /subscribe, its buttons, /unsubscribe and «Отписаться» under a broadcast (emulator, real bot code)', () => {
  let testDb: TestDatabase;
  let emulator: TelegramEmulator;
  let stop: () => Promise<void>;
  const USER = 5101;

  beforeAll(async () => {
    ({ testDb, emulator, stop } = await startTelegramApp({
      database: 'tg_subscriptions',
      env: { APP_ROLES: 'telegram,worker' },
    }));
  });
  afterAll(() => stop?.());

  const client = (userId: number, over: { chatId?: number; type?: 'group' | 'supergroup' } = {}) =>
    emulator.server.getClient(emulator.token, {
      userId,
      chatId: over.chatId ?? userId,
      firstName: 'Ольга',
      userName: `u${userId}`,
      ...(over.type ? { type: over.type, chatTitle: 'Двор на Малахова' } : {}),
    });
  const records = () =>
    (emulator.server as unknown as { storage: { botMessages: BotRecord[] } }).storage.botMessages.filter(
      (r) => String(r.message.chat_id) === String(USER),
    );
  /** The /subscribe message: the bot's latest message with a district button. */
  const screen = () => records().findLast((r) => JSON.stringify(r.message.reply_markup ?? {}).includes('sub:d:'));
  const labels = (r: BotRecord | undefined) => (r?.message.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);
  /** Presses a button under the bot's message `under` (the callback carries that message, as Telegram's does). */
  const press = async (data: string, under = screen()) => {
    const c = client(USER);
    await c.sendCallback(c.makeCallbackQuery(data, { message: { message_id: under?.messageId, text: under?.message.text } }));
  };
  const subscription = async () => {
    const citizen = await testDb.handle.db
      .selectFrom('citizen')
      .select('id')
      .where('external_id', '=', String(USER))
      .executeTakeFirstOrThrow();
    return {
      row: await testDb.handle.db.selectFrom('subscription').selectAll().where('citizen_id', '=', citizen.id).executeTakeFirst(),
      events: await testDb.handle.db
        .selectFrom('subscription_event')
        .select(['channel', 'action', 'districts', 'topics', 'via', 'broadcast_id', 'at'])
        .where('citizen_id', '=', citizen.id)
        .orderBy('id')
        .execute(),
    };
  };

  it('when a citizen who has not consented sends /subscribe, then consent is asked for first', async () => {
    const c = client(USER);
    await c.sendCommand(c.makeCommand('/subscribe'));
    await waitForBotMessage(emulator.server, USER, /Сначала нужно ваше согласие/);
    expect(JSON.stringify(botMessagesTo(emulator.server, USER).at(-1)?.replyMarkup)).toContain('consent:yes');
    const seen = botMessagesTo(emulator.server, USER).length;
    await c.sendCallback(c.makeCallbackQuery('consent:yes'));
    await waitForBotMessage(emulator.server, USER, /Спасибо!/, seen);
  });

  it('when the citizen picks two districts and a topic and presses «Готово», then the message is redrawn in place with ✓ and the subscription is logged once', async () => {
    const c = client(USER);
    const seen = botMessagesTo(emulator.server, USER).length;
    await c.sendCommand(c.makeCommand('/subscribe'));
    await waitForBotMessage(emulator.server, USER, /Подписка ещё не оформлена/, seen);
    const message = screen();
    expect(labels(message)).toContain('Центральный район');
    // Nothing chosen yet: the whole city.
    expect(labels(message)).toContain('✓ Весь город');
    expect(labels(message).at(-1)).toBe('Готово');

    await press('sub:d:central');
    await waitFor(() => (labels(screen()).includes('✓ Центральный район') ? true : undefined));
    await press('sub:d:leninsky');
    await press('sub:t:outages');
    await waitFor(() => (labels(screen()).includes('✓ Отключения воды, тепла и света') ? true : undefined));
    // Every press redrew the same message: no new one was sent.
    expect(screen()?.messageId).toBe(message?.messageId);
    expect(labels(screen())).toContain('✓ Ленинский район');
    expect(screen()?.message.text).toContain('Районы: Центральный район, Ленинский район.');
    // A draft: saved, not active, no consent logged yet.
    expect(await subscription()).toMatchObject({
      row: { active: false, districts: ['central', 'leninsky'], topics: ['outages'], chat_id: String(USER), channel: 'telegram' },
      events: [],
    });

    await press('sub:done');
    await waitFor(() => (screen() === undefined || /Вы подписаны/.test(records().at(-1)?.message.text ?? '') ? true : undefined));
    const done = records().find((r) => r.messageId === message?.messageId);
    expect(done?.message.text).toContain('Готово! Вы подписаны на рассылки МЦУ.');
    const { row, events } = await subscription();
    expect(row).toMatchObject({ active: true, districts: ['central', 'leninsky'], topics: ['outages'] });
    expect(events).toEqual([
      {
        channel: 'telegram',
        action: 'subscribe',
        districts: ['central', 'leninsky'],
        topics: ['outages'],
        via: 'button',
        broadcast_id: null,
        at: expect.any(Date),
      },
    ]);
  });

  it('when the subscriber opens /subscribe again and presses «Весь город», then they see their choice and the change is logged', async () => {
    const c = client(USER);
    const seen = botMessagesTo(emulator.server, USER).length;
    await c.sendCommand(c.makeCommand('/subscribe'));
    await waitForBotMessage(emulator.server, USER, /Подписка действует/, seen);
    expect(labels(screen())).toEqual(expect.arrayContaining(['✓ Центральный район', '✓ Ленинский район', 'Отписаться от всех']));
    await press('sub:city');
    await waitFor(() => (labels(screen()).includes('✓ Весь город') ? true : undefined));
    expect(labels(screen())).toContain('Центральный район');
    expect((await subscription()).events.map((e) => [e.action, e.districts, e.topics])).toEqual([
      ['subscribe', ['central', 'leninsky'], ['outages']],
      ['change', [], ['outages']],
    ]);
  });

  it('when a button names a district the domain file does not have, then nothing is saved and the keyboard is drawn again', async () => {
    const before = await subscription();
    await press('sub:d:atlantis');
    await press('sub:t:central');
    await new Promise((r) => setTimeout(r, 700));
    expect(await subscription()).toEqual(before);
    expect(labels(screen())).toContain('✓ Весь город');
  });

  it('when the subscriber sends /unsubscribe, then it ends (logged); again, or «Отписаться» typed, says they are not subscribed', async () => {
    const c = client(USER);
    let seen = botMessagesTo(emulator.server, USER).length;
    await c.sendCommand(c.makeCommand('/unsubscribe'));
    await waitForBotMessage(emulator.server, USER, /Вы отписались от рассылок по районам и темам/, seen);
    seen = botMessagesTo(emulator.server, USER).length;
    await c.sendCommand(c.makeCommand('/unsubscribe'));
    await waitForBotMessage(emulator.server, USER, /Вы не подписаны на рассылки/, seen);
    const { row, events } = await subscription();
    expect(row?.active).toBe(false);
    expect(events.at(-1)).toMatchObject({
      channel: 'telegram',
      action: 'unsubscribe',
      via: 'command',
      districts: [],
      topics: ['outages'],
    });
    // The word typed without the slash (a reply to a broadcast) is the same command, never a message.
    seen = botMessagesTo(emulator.server, USER).length;
    await c.sendMessage(c.makeMessage('Отписаться'));
    await waitForBotMessage(emulator.server, USER, /Вы не подписаны на рассылки/, seen);
    expect(await testDb.handle.db.selectFrom('message').select('id').where('text', '=', 'Отписаться').execute()).toEqual([]);
  });

  it('when «Отписаться» under a broadcast is pressed, then the subscription ends and the opt-out is stamped and logged with the broadcast', async () => {
    // Subscribed again (whole city, «Отписаться от всех» shown), then a broadcast arrives with its button.
    const c = client(USER);
    let seen = botMessagesTo(emulator.server, USER).length;
    await c.sendCommand(c.makeCommand('/subscribe'));
    await waitForBotMessage(emulator.server, USER, /Подписка ещё не оформлена/, seen);
    await press('sub:done');
    await waitFor(async () => ((await subscription()).row?.active ? true : undefined));
    const broadcast = await testDb.handle.db
      .insertInto('broadcast')
      .values({
        title: 'Вода',
        text: 'Отключение воды',
        segment: JSON.stringify({ kind: 'subscribers' }),
        priority: 'normal',
        author: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    seen = botMessagesTo(emulator.server, USER).length;
    await press(encodeCallback({ type: 'unsubscribe', broadcastId: broadcast.id }), undefined);
    await waitForBotMessage(emulator.server, USER, /Вы отписались от всех рассылок МЦУ/, seen);
    const { row, events } = await subscription();
    expect(row?.active).toBe(false);
    expect(events.at(-1)).toMatchObject({ channel: 'telegram', action: 'opt_out', via: 'broadcast', broadcast_id: broadcast.id });
    const citizen = await testDb.handle.db
      .selectFrom('citizen')
      .select('broadcasts_opted_out_at')
      .where('external_id', '=', String(USER))
      .executeTakeFirstOrThrow();
    expect(citizen.broadcasts_opted_out_at).toBeInstanceOf(Date);
  });

  it('when /subscribe is sent in a group chat, then the bot answers there that it is done in the private chat, and stores nothing', async () => {
    const GROUP = -100_777;
    const g = client(5102, { chatId: GROUP, type: 'group' });
    await g.sendCommand(g.makeCommand('/subscribe'));
    await waitForBotMessage(emulator.server, GROUP, /только в личном чате с ботом/);
    expect(await testDb.handle.db.selectFrom('message').select('id').where('text', '=', '/subscribe').execute()).toEqual([]);
  });
});
