import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { startVkApp, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { vkCallbackPayloads } from '../helpers/payloads.js';
import type { VkApiFake, VkCall } from '../helpers/vk-fake.js';

const GROUP_ID = 219_000_018;
const SECRET = 'vk-follow-up-secret';
const CITIZEN = 555_201;
const STRANGER = 555_202;

/** A community message as the VK Callback API documents it (API v5.199); `payload` is what a keyboard button carries. */
const { messageNew } = vkCallbackPayloads({ groupId: GROUP_ID, secret: SECRET });
const privateMessage = (from: number, text: string, payload?: unknown) => messageNew({ from, text, payload });

const buttonsOf = (call: VkCall | undefined): { label: string; payload: Record<string, unknown> }[] => {
  const keyboard = JSON.parse(call?.params.keyboard ?? '{"buttons":[]}') as {
    buttons: { action: { label: string; payload: string } }[][];
  };
  return keyboard.buttons.flat().map((b) => ({ label: b.action.label, payload: JSON.parse(b.action.payload) }));
};

describe('VK: a follow-up about something else asks «дополнение или новое обращение?» (VK API fake)', () => {
  let testDb: TestDatabase;
  let vk: VkApiFake;
  let app: App;
  let stop: () => Promise<void>;

  const post = async (body: unknown) => {
    const res = await fetch(`${app.info.httpUrl}/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(await res.text()).toBe('ok');
  };
  const sentTo = (peer: number, pattern: RegExp, skip: number) =>
    waitFor(() =>
      vk
        .sent()
        .slice(skip)
        .find((c) => c.params.peer_id === String(peer) && pattern.test(c.params.message ?? '')),
    );

  beforeAll(async () => {
    ({ testDb, vk, app, stop } = await startVkApp({
      database: 'vk_follow_up',
      vk: { groupId: GROUP_ID, secret: SECRET, confirmationCode: 'c0ffee00' },
    }));
  });
  afterAll(() => stop?.());

  it('when the citizen presses «Дополнение к обращению …», then the message joins the case; a stranger’s or a second press changes nothing', async () => {
    await post(privateMessage(CITIZEN, 'Согласен', { cmd: 'consent_yes' }));
    let seen = vk.sent().length;
    await post(privateMessage(CITIZEN, 'Третий день нет горячей воды, ул. Малахова, 89'));
    const opened = await sentTo(CITIZEN, /зарегистрировано под номером/, seen);
    const number = /МЦУ-\d{4}-\d{6}/.exec(opened.params.message ?? '')?.[0];

    seen = vk.sent().length;
    await post(privateMessage(CITIZEN, 'Отключили свет во всём подъезде'));
    const question = await sentTo(CITIZEN, /или новое обращение\?/, seen);
    const buttons = buttonsOf(question);
    expect(buttons.map((b) => b.label)).toEqual([`Дополнение к обращению ${number}`, 'Новое обращение']);
    expect(buttons.map((b) => b.payload)).toEqual([
      { cmd: 'follow_up', msg: expect.any(Number), choice: 'add' },
      { cmd: 'follow_up', msg: expect.any(Number), choice: 'new' },
    ]);
    const [add] = buttons;

    await post(privateMessage(STRANGER, 'Согласен', { cmd: 'consent_yes' }));
    seen = vk.sent().length;
    await post(privateMessage(STRANGER, add?.label ?? '', add?.payload));
    await sentTo(STRANGER, /Недостаточно прав/, seen);

    seen = vk.sent().length;
    await post(privateMessage(CITIZEN, add?.label ?? '', add?.payload));
    expect((await sentTo(CITIZEN, /Дополнение принято/, seen)).params.message).toContain(number);
    seen = vk.sent().length;
    await post(privateMessage(CITIZEN, add?.label ?? '', add?.payload));
    await sentTo(CITIZEN, /Эта кнопка уже неактуальна/, seen);

    // One case; the presses were never stored as messages.
    const cases = await testDb.handle.db.selectFrom('case').select('id').execute();
    expect(cases).toHaveLength(1);
    const texts = await testDb.handle.db.selectFrom('message').select(['text', 'case_id']).orderBy('id').execute();
    expect(texts).toEqual([
      { text: 'Третий день нет горячей воды, ул. Малахова, 89', case_id: cases[0]?.id },
      { text: 'Отключили свет во всём подъезде', case_id: cases[0]?.id },
    ]);
  });

  it('when a message may be chatter, then «это обращение?» with VK buttons; «Да, это обращение» opens the case', async () => {
    const citizen = 555_203;
    await post(privateMessage(citizen, 'Согласен', { cmd: 'consent_yes' }));
    let seen = vk.sent().length;
    await post(privateMessage(citizen, 'Подскажите, а можно сюда писать про двор?'));
    const question = await sentTo(citizen, /это обращение о проблеме/, seen);
    const buttons = buttonsOf(question);
    expect(buttons.map((b) => b.label)).toEqual(['Да, это обращение', 'Нет, не обращение']);
    expect(buttons.map((b) => b.payload)).toEqual([
      { cmd: 'intent', msg: expect.any(Number), appeal: true },
      { cmd: 'intent', msg: expect.any(Number), appeal: false },
    ]);
    const before = await testDb.handle.db.selectFrom('case').select('id').execute();
    seen = vk.sent().length;
    await post(privateMessage(citizen, buttons[0]?.label ?? '', buttons[0]?.payload));
    await sentTo(citizen, /зарегистрировано под номером/, seen);
    expect(await testDb.handle.db.selectFrom('case').select('id').execute()).toHaveLength(before.length + 1);
  });
});
