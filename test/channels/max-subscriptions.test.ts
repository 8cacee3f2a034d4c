import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMaxPayload } from '../../bots/max/payload.js';
import type { App } from '../../src/app.js';
import { MAX_WEBHOOK_SECRET, startMaxApp, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { type MaxApiFake, type MaxSent, maxMessage, maxUpdates, maxUser } from '../helpers/max-fake.js';

const CITIZEN = { userId: 5_550_314, firstName: 'Пётр', lastName: 'Подписчик', username: 'petr_sub' };
const DIALOG = 8_000_314;
const CITY_CHAT = -70_000_000_314;

describe('MAX: subscriptions in the dialog, the keyboard redrawn in place (webhook, MAX Bot API fake)', () => {
  let testDb: TestDatabase;
  let max: MaxApiFake;
  let app: App;
  let stop: () => Promise<void>;

  const post = async (update: unknown) => {
    const res = await max.deliver(update, { url: `${app.info.httpUrl}/max/webhook`, secret: MAX_WEBHOOK_SECRET });
    expect(res.status).toBe(200);
  };
  const write = (text: string, chatId = DIALOG, chatType: 'dialog' | 'chat' = 'dialog') =>
    post(maxUpdates.messageCreated({ from: CITIZEN, chatId, chatType, text, botId: max.bot.userId }));
  /** A press of a button under the bot's message `under` (MAX sends that message with the callback). */
  const press = (payload: string, under?: MaxSent) =>
    post(
      maxUpdates.callback({
        from: CITIZEN,
        chatId: DIALOG,
        payload,
        ...(under
          ? {
              under: maxMessage({
                sender: maxUser({ userId: max.bot.userId, firstName: max.bot.firstName }),
                chatId: DIALOG,
                recipientUserId: CITIZEN.userId,
                text: under.text,
                mid: under.mid,
              }),
            }
          : {}),
      }),
    );
  const sentTo = (pattern: RegExp, skip = 0, chat = DIALOG): Promise<MaxSent> =>
    waitFor(() => max.sent.slice(skip).find((m) => m.chatId === chat && pattern.test(m.text)));
  const labels = (m: MaxSent | undefined) => (m?.keyboard ?? []).flat().map((b) => b.text);
  const events = () =>
    testDb.handle.db
      .selectFrom('subscription_event')
      .select(['channel', 'action', 'districts', 'topics', 'via', 'broadcast_id', 'at'])
      .orderBy('id')
      .execute();
  let screen: MaxSent;

  beforeAll(async () => {
    ({ testDb, max, app, stop } = await startMaxApp({ database: 'max_subscriptions' }));
  });
  afterAll(() => stop?.());

  it('when a consented citizen sends /subscribe, then one message carries every district, «Весь город», every topic and «Готово»', async () => {
    await post(maxUpdates.botStarted({ from: CITIZEN, chatId: DIALOG }));
    await sentTo(/согласие на обработку/);
    let seen = max.sent.length;
    await press('consent:yes');
    await sentTo(/Спасибо!/, seen);
    seen = max.sent.length;
    await write('/subscribe');
    screen = await sentTo(/Подписка ещё не оформлена/, seen);
    expect(labels(screen)).toHaveLength(15);
    expect((screen.keyboard ?? []).flat().map((b) => b.payload)).toEqual(
      expect.arrayContaining(['sub:d:central', 'sub:city', 'sub:t:outages', 'sub:done']),
    );
  });

  it('when the citizen presses two districts and a topic, then the same message is edited each time with ✓, and «Готово» turns it into the summary', async () => {
    const edits = max.edits.length;
    await press('sub:d:central', screen);
    await press('sub:d:zheleznodorozhny', screen);
    await press('sub:t:snow', screen);
    await waitFor(() =>
      labels(max.sent.find((m) => m.mid === screen.mid)).includes('✓ Уборка снега и наледи') ? true : undefined,
    );
    const edited = max.sent.find((m) => m.mid === screen.mid);
    expect(labels(edited)).toEqual(expect.arrayContaining(['✓ Центральный район', '✓ Железнодорожный район', 'Весь город']));
    expect(max.edits.length - edits).toBe(3);
    expect(max.sent.filter((m) => m.chatId === DIALOG && /Рассылки МЦУ/.test(m.text))).toHaveLength(1);
    expect(await events()).toEqual([]);

    await press('sub:done', screen);
    await waitFor(() => (/Вы подписаны/.test(max.sent.find((m) => m.mid === screen.mid)?.text ?? '') ? true : undefined));
    // The summary has no keyboard left: an empty attachment list removes it.
    expect(max.sent.find((m) => m.mid === screen.mid)?.keyboard).toBeNull();
    expect(await events()).toEqual([
      {
        channel: 'max',
        action: 'subscribe',
        districts: ['central', 'zheleznodorozhny'],
        topics: ['snow'],
        via: 'button',
        broadcast_id: null,
        at: expect.any(Date),
      },
    ]);
    const row = await testDb.handle.db.selectFrom('subscription').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'max', chat_id: String(DIALOG), active: true });
  });

  it('when a topic button names a topic the file does not have, then nothing is saved and the message shows the current choice', async () => {
    const seen = max.sent.length;
    await write('/subscribe');
    screen = await sentTo(/Подписка действует/, seen);
    const before = await events();
    await press('sub:t:atlantis', screen);
    await sentTo(/Этого района или темы больше нет/, seen);
    expect(await events()).toEqual(before);
  });

  it('when a subscription button is pressed under a message MAX no longer has, then the press is answered as stale and nothing changes', async () => {
    const before = await events();
    const pressed = maxUpdates.callback({ from: CITIZEN, chatId: DIALOG, payload: 'sub:city' });
    await post({ ...pressed, message: null });
    const callbackId = (pressed.callback as { callback_id: string }).callback_id;
    const answer = await waitFor(() => max.answers.find((a) => a.callbackId === callbackId));
    expect(answer.body).toMatchObject({ notification: 'Эта кнопка уже неактуальна.' });
    expect(await events()).toEqual(before);
  });

  it('when the citizen types «Отписаться», then the subscription ends and is logged', async () => {
    const seen = max.sent.length;
    await write('Отписаться');
    await sentTo(/Вы отписались от рассылок по районам и темам/, seen);
    expect((await events()).at(-1)).toMatchObject({ channel: 'max', action: 'unsubscribe', via: 'command' });
  });

  it('when «Отписаться» under a broadcast is pressed, then the opt-out is logged with the broadcast', async () => {
    const broadcast = await testDb.handle.db
      .insertInto('broadcast')
      .values({
        title: 'Свет',
        text: 'Отключение света',
        segment: JSON.stringify({ kind: 'subscribers' }),
        priority: 'normal',
        author: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const seen = max.sent.length;
    await press(encodeMaxPayload({ type: 'unsubscribe', broadcastId: broadcast.id }));
    await sentTo(/Вы отписались от всех рассылок МЦУ/, seen);
    expect((await events()).at(-1)).toMatchObject({
      channel: 'max',
      action: 'opt_out',
      via: 'broadcast',
      broadcast_id: broadcast.id,
    });
  });

  it('when /subscribe is sent in a city chat, then the bot answers there that it is done in the dialog, and the command is no message', async () => {
    await write('/subscribe', CITY_CHAT, 'chat');
    await sentTo(/только в личном чате с ботом/, 0, CITY_CHAT);
    expect(await testDb.handle.db.selectFrom('message').select('id').where('text', '=', '/subscribe').execute()).toEqual([]);
  });
});
