import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { startVkApp, TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { vkCallbackPayloads } from '../helpers/payloads.js';
import type { VkApiFake, VkCall } from '../helpers/vk-fake.js';

const GROUP_ID = 219_000_002;
const SECRET = 'vk-poll-secret';
const CITIZEN = 555_101;
const STRANGER = 555_102;

/** A community message as the VK Callback API documents it (API v5.199); `payload` is what a keyboard button carries. */
const { messageNew } = vkCallbackPayloads({ groupId: GROUP_ID, secret: SECRET });
const privateMessage = (from: number, text: string, payload?: unknown) => messageNew({ from, text, payload });

/** The buttons of a keyboard VK was asked to show, with their parsed payloads. */
const buttonsOf = (call: VkCall | undefined): { label: string; payload: Record<string, unknown> }[] => {
  const keyboard = JSON.parse(call?.params.keyboard ?? '{"buttons":[]}') as {
    buttons: { action: { label: string; payload: string } }[][];
  };
  return keyboard.buttons.flat().map((b) => ({ label: b.action.label, payload: JSON.parse(b.action.payload) }));
};

describe('the satisfaction poll in VK community messages (VK API fake)', () => {
  let testDb: TestDatabase;
  let vk: VkApiFake;
  let app: App;
  let stop: () => Promise<void>;
  let caseId = 0;

  const post = async (body: unknown) => {
    const res = await fetch(`${app.info.httpUrl}/vk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(await res.text()).toBe('ok');
  };
  const api = (method: string, path: string, body: unknown) =>
    fetch(`${app.info.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  /** Waits for the next message to `peer` matching `pattern`, after the first `skip` sends. */
  const sentTo = (peer: number, pattern: RegExp, skip: number) =>
    waitFor(() =>
      vk
        .sent()
        .slice(skip)
        .find((c) => c.params.peer_id === String(peer) && pattern.test(c.params.message ?? '')),
    );

  beforeAll(async () => {
    ({ testDb, vk, app, stop } = await startVkApp({
      database: 'vk_poll',
      vk: { groupId: GROUP_ID, secret: SECRET, confirmationCode: 'c0ffee00' },
    }));

    // A citizen consents, writes, and gets a final answer by community message.
    await post(privateMessage(CITIZEN, 'Согласен', { cmd: 'consent_yes' }));
    let seen = vk.sent().length;
    await post(privateMessage(CITIZEN, 'Третий день нет горячей воды, ул. Малахова, 89'));
    await sentTo(CITIZEN, /зарегистрировано под номером/, seen);
    const row = await testDb.handle.db.selectFrom('case').select('id').executeTakeFirstOrThrow();
    caseId = row.id;
    await api('POST', `/api/v1/cases/${caseId}/status`, { to: 'assigned' });
    seen = vk.sent().length;
    const answered = await api('POST', `/api/v1/cases/${caseId}/answers`, {
      text: 'Бригада МУП «Водоканал» устранила порыв 02.12, горячая вода подана. Ответственный — мастер Петров И. С.',
      kind: 'final',
    });
    expect(answered.status).toBe(201);
    await sentTo(CITIZEN, /Бригада МУП «Водоканал»/, seen);
  });
  afterAll(() => stop?.());

  it('when the final answer was given in a private chat, then the poll is scheduled, not marked unreachable', async () => {
    const poll = await testDb.handle.db
      .selectFrom('poll')
      .select('state')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(poll.state).toBe('scheduled');
  });

  it('when the poll is asked, then the citizen gets «Проблема решена?» with Да / Нет buttons carrying the case', async () => {
    const seen = vk.sent().length;
    // The poll is scheduled hours after the answer; the test asks now through the same job.
    await app.queue?.send('ask-poll', { caseId, reminder: false });
    const poll = await sentTo(CITIZEN, /Проблема решена\?/, seen);
    expect(buttonsOf(poll)).toEqual([
      { label: 'Да', payload: { cmd: 'poll', case: caseId, solved: true } },
      { label: 'Нет', payload: { cmd: 'poll', case: caseId, solved: false } },
    ]);
    expect(JSON.parse(poll.params.keyboard ?? '{}')).toMatchObject({ inline: true });
  });

  it('when someone else presses «Нет», then «Недостаточно прав» and the case stays answered', async () => {
    const seen = vk.sent().length;
    await post(privateMessage(STRANGER, 'Нет', { cmd: 'poll', case: caseId, solved: false }));
    await sentTo(STRANGER, /Недостаточно прав/, seen);
    const row = await testDb.handle.db.selectFrom('case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.status).toBe('answered');
  });

  it('when the citizen presses «Нет», then the case is reopened, no new case is opened, and the thanks offers a comment', async () => {
    const seen = vk.sent().length;
    await post(privateMessage(CITIZEN, 'Нет', { cmd: 'poll', case: caseId, solved: false }));
    const thanks = await sentTo(CITIZEN, /Обращение возобновлено/, seen);
    expect(buttonsOf(thanks)[0]).toEqual({ label: 'Добавить комментарий', payload: { cmd: 'poll_comment', case: caseId } });
    const cases = await testDb.handle.db.selectFrom('case').select('status').execute();
    expect(cases).toEqual([{ status: 'reopened' }]);
    const poll = await testDb.handle.db
      .selectFrom('poll')
      .select(['state', 'solved'])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(poll).toEqual({ state: 'answered', solved: false });
    // The button press is an answer, not a message of the conversation.
    expect(await testDb.handle.db.selectFrom('message').select('id').where('text', '=', 'Нет').execute()).toHaveLength(0);
  });

  it('when the citizen presses the old «Да» again, then the button is stale', async () => {
    const seen = vk.sent().length;
    await post(privateMessage(CITIZEN, 'Да', { cmd: 'poll', case: caseId, solved: true }));
    await sentTo(CITIZEN, /кнопка уже неактуальна/, seen);
  });

  it('when the citizen presses «Добавить комментарий» and writes, then the message is the comment of the poll and of the reopened case', async () => {
    let seen = vk.sent().length;
    await post(privateMessage(CITIZEN, 'Добавить комментарий', { cmd: 'poll_comment', case: caseId }));
    await sentTo(CITIZEN, /Напишите комментарий одним сообщением/, seen);
    seen = vk.sent().length;
    await post(privateMessage(CITIZEN, 'Вода есть, но ржавая и еле тёплая'));
    await sentTo(CITIZEN, /Спасибо, комментарий передан/, seen);
    const poll = await testDb.handle.db
      .selectFrom('poll')
      .select('comment')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(poll.comment).toBe('Вода есть, но ржавая и еле тёплая');
    const alert = await testDb.handle.db
      .selectFrom('alert')
      .select('details')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'reopened')
      .executeTakeFirstOrThrow();
    expect(alert.details).toMatchObject({ comment: 'Вода есть, но ржавая и еле тёплая' });
    expect(await testDb.handle.db.selectFrom('case').select('id').execute()).toHaveLength(1);
  });
});
