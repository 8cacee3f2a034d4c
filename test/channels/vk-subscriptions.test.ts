import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ButtonAction } from '../../bots/outbound/buttons.js';
import { encodeVkPayload } from '../../bots/vk/payload.js';
import type { App } from '../../src/app.js';
import { startVkApp, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { vkCallbackPayloads } from '../helpers/payloads.js';
import type { VkApiFake, VkCall } from '../helpers/vk-fake.js';

const GROUP_ID = 219_000_014;
const SECRET = 'vk-subscriptions-secret';
const USER = 555_014;
/** Every button type a current VK client reports in `client_info.button_actions`. */
const MODERN_CLIENT = {
  button_actions: ['text', 'vkpay', 'open_app', 'location', 'open_link', 'callback', 'intent_subscribe', 'intent_unsubscribe'],
  keyboard: true,
  inline_keyboard: true,
  carousel: true,
  lang_id: 0,
};

const { messageNew } = vkCallbackPayloads({ groupId: GROUP_ID, secret: SECRET });

interface VkKeyboardButton {
  action: { type: string; label: string; payload?: string; peer_id?: number; intent?: string };
  color?: string;
}

describe('VK: subscriptions in the community chat (Callback API, local VK API fake)', () => {
  let testDb: TestDatabase;
  let vk: VkApiFake;
  let app: App;
  let stop: () => Promise<void>;
  let eventId = 0;

  const post = async (body: unknown) => {
    const res = await fetch(`${app.info.httpUrl}/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(await res.text()).toBe('ok');
  };
  /** A typed message, or a press: VK sends the button's label as the text and its payload. */
  const write = (text: string, payload?: string, over: { peerId?: number; clientInfo?: object } = {}) => {
    const event = messageNew({
      from: USER,
      text,
      eventId: `sub-${++eventId}`,
      ...(payload ? { payload } : {}),
      ...(over.peerId ? { peerId: over.peerId } : {}),
    });
    if (over.clientInfo) event.object.client_info = over.clientInfo as Record<string, unknown>;
    return post(event);
  };
  const pressAction = (action: ButtonAction, label = '…') => write(label, encodeVkPayload(action));
  /** The messages the bot sent to `peer` after the first `skip`, once `count` of them are there. */
  const sentAfter = (skip: number, count = 1, peer = USER): Promise<VkCall[]> =>
    waitFor(() => {
      const calls = vk
        .sent()
        .filter((c) => c.params.peer_id === String(peer))
        .slice(skip);
      return calls.length >= count ? calls : undefined;
    });
  const sentCount = (peer = USER) => vk.sent().filter((c) => c.params.peer_id === String(peer)).length;
  const keyboardOf = (call: VkCall | undefined): VkKeyboardButton[][] =>
    call?.params.keyboard ? (JSON.parse(call.params.keyboard) as { buttons: VkKeyboardButton[][] }).buttons : [];
  const labels = (call: VkCall | undefined) =>
    keyboardOf(call)
      .flat()
      .map((b) => b.action.label);
  const events = async () =>
    testDb.handle.db
      .selectFrom('subscription_event')
      .innerJoin('citizen', 'citizen.id', 'subscription_event.citizen_id')
      .select(['subscription_event.channel', 'action', 'districts', 'topics', 'via', 'broadcast_id', 'at'])
      .where('citizen.external_id', '=', String(USER))
      .orderBy('subscription_event.id')
      .execute();

  beforeAll(async () => {
    ({ testDb, vk, app, stop } = await startVkApp({
      database: 'vk_subscriptions',
      vk: { groupId: GROUP_ID, secret: SECRET, confirmationCode: 'c0de' },
    }));
  });
  afterAll(() => stop?.());

  it('when a consented citizen types «Подписаться» (no slash), then the screen comes in two messages that fit VK inline keyboards', async () => {
    let seen = sentCount();
    await write('Согласен(на)', '{"cmd":"consent_yes"}');
    await sentAfter(seen);
    seen = sentCount();
    await write('Подписаться');
    const [districts, topics] = await sentAfter(seen, 2);
    expect(districts?.params.message).toContain('Подписка ещё не оформлена');
    expect(labels(districts)).toEqual([
      'Центральный район',
      'Железнодорожный район',
      'Индустриальный район',
      'Ленинский район',
      'Октябрьский район',
      '✓ Весь город',
    ]);
    expect(topics?.params.message).toBe('Темы рассылок (ничего не отмечено — все темы):');
    expect(labels(topics)).toHaveLength(9);
    expect(labels(topics).at(-1)).toBe('Готово');
    for (const call of [districts, topics]) {
      expect(keyboardOf(call).flat().length).toBeLessThanOrEqual(10);
      expect(keyboardOf(call).length).toBeLessThanOrEqual(6);
    }
    // This client shows no intent buttons: «Готово» is a text button with our payload.
    expect(keyboardOf(topics).flat().at(-1)?.action).toMatchObject({ type: 'text', payload: '{"cmd":"sub_done"}' });
  });

  it('when the citizen presses two districts and a topic, then each press answers with that section drawn again, ✓ on the chosen', async () => {
    let seen = sentCount();
    await pressAction({ type: 'sub_toggle', what: 'district', id: 'central' }, 'Центральный район');
    let [reply] = await sentAfter(seen);
    expect(labels(reply)).toContain('✓ Центральный район');
    expect(labels(reply)).toContain('Готово');
    expect(labels(reply)).not.toContain('Отопительный сезон');
    seen = sentCount();
    await pressAction({ type: 'sub_toggle', what: 'district', id: 'industrial' }, 'Индустриальный район');
    await sentAfter(seen);
    seen = sentCount();
    await pressAction({ type: 'sub_toggle', what: 'topic', id: 'heating' }, 'Отопительный сезон');
    [reply] = await sentAfter(seen);
    expect(labels(reply)).toContain('✓ Отопительный сезон');
    expect(reply?.params.message).toContain('Районы: Центральный район, Индустриальный район.');
    // Still a draft: nothing agreed to yet, and the pressed labels never became messages or cases.
    expect(await events()).toEqual([]);
    expect(await testDb.handle.db.selectFrom('message').select('id').where('text', '=', 'Центральный район').execute()).toEqual(
      [],
    );
  });

  it('when a button names a district that no longer exists, then the citizen is told and gets the current districts again', async () => {
    const seen = sentCount();
    await write('Атлантида', '{"cmd":"sub","d":"atlantis"}');
    const [notice, screen] = await sentAfter(seen, 2);
    expect(notice?.params.message).toContain('Этого района или темы больше нет');
    expect(labels(screen)).toContain('✓ Центральный район');
  });

  it('when VK says the community may not write to the citizen, then «Готово» saves nothing and explains how to allow messages', async () => {
    vk.handlers['messages.isMessagesFromGroupAllowed'] = () => ({ is_allowed: 0 });
    const seen = sentCount();
    await pressAction({ type: 'sub_done' }, 'Готово');
    const [reply] = await sentAfter(seen);
    expect(reply?.params.message).toContain('Разрешите сообщения');
    expect(labels(reply)).toEqual(['Готово']);
    const check = vk.sent('messages.isMessagesFromGroupAllowed').at(-1);
    expect(check?.params).toMatchObject({ group_id: String(GROUP_ID), user_id: String(USER) });
    expect(await events()).toEqual([]);
  });

  it("when the citizen's client shows VK's intent buttons, then «Готово» is intent_subscribe, and its press (VK's own payload) subscribes", async () => {
    vk.handlers['messages.isMessagesFromGroupAllowed'] = () => ({ is_allowed: 1 });
    let seen = sentCount();
    await write('Подписка', undefined, { clientInfo: MODERN_CLIENT });
    const [, topics] = await sentAfter(seen, 2);
    expect(keyboardOf(topics).flat().at(-1)).toEqual({
      action: { type: 'intent_subscribe', peer_id: USER, intent: 'non_promo_newsletter', label: 'Готово' },
    });

    seen = sentCount();
    await write('', '{"command":"internal_command","action":{"type":"intent_subscribe","intent":"non_promo_newsletter"}}', {
      clientInfo: MODERN_CLIENT,
    });
    const [done] = await sentAfter(seen);
    expect(done?.params.message).toContain('Готово! Вы подписаны на рассылки МЦУ.');
    expect(await events()).toEqual([
      {
        channel: 'vk',
        action: 'subscribe',
        districts: ['central', 'industrial'],
        topics: ['heating'],
        via: 'button',
        broadcast_id: null,
        at: expect.any(Date),
      },
    ]);
    const row = await testDb.handle.db.selectFrom('subscription').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ channel: 'vk', chat_id: String(USER), active: true });
  });

  it('when the subscriber opens /subscribe on that client, then «Отписаться от всех» is intent_unsubscribe; typing «Отписаться» ends it', async () => {
    let seen = sentCount();
    await write('/subscribe', undefined, { clientInfo: MODERN_CLIENT });
    const [, topics] = await sentAfter(seen, 2);
    expect(keyboardOf(topics).flat().at(-1)).toEqual({
      action: { type: 'intent_unsubscribe', peer_id: USER, intent: 'non_promo_newsletter', label: 'Отписаться от всех' },
    });
    seen = sentCount();
    await write('Отписаться');
    const [reply] = await sentAfter(seen);
    expect(reply?.params.message).toContain('Вы отписались от рассылок по районам и темам');
    expect((await events()).at(-1)).toMatchObject({ channel: 'vk', action: 'unsubscribe', via: 'command' });
  });

  it('when «Отписаться» under a broadcast is pressed, then the opt-out is logged with the broadcast and the label never becomes a case', async () => {
    const broadcast = await testDb.handle.db
      .insertInto('broadcast')
      .values({
        title: 'Снег',
        text: 'Уборка снега',
        segment: JSON.stringify({ kind: 'subscribers' }),
        priority: 'normal',
        author: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const seen = sentCount();
    await pressAction({ type: 'unsubscribe', broadcastId: broadcast.id }, 'Отписаться');
    const [reply] = await sentAfter(seen);
    expect(reply?.params.message).toContain('Вы отписались от всех рассылок МЦУ');
    expect((await events()).at(-1)).toMatchObject({
      channel: 'vk',
      action: 'opt_out',
      via: 'broadcast',
      broadcast_id: broadcast.id,
    });
    expect(await testDb.handle.db.selectFrom('message').select('id').where('text', '=', 'Отписаться').execute()).toEqual([]);
  });

  it('when /subscribe is typed in a group conversation, then the bot answers there that it is done in the private chat', async () => {
    const CONVERSATION = 2_000_000_014;
    await write('/subscribe', undefined, { peerId: CONVERSATION });
    const [reply] = await sentAfter(0, 1, CONVERSATION);
    expect(reply?.params.message).toContain('только в личном чате с ботом');
  });
});
