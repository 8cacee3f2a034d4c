import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { inboxSettled, startTelegramApp, TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { telegramMessageUpdate } from '../helpers/payloads.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

const SECRET = 'webhook-secret-0123456789';
const GROUP = {
  id: -1001234567890,
  title: 'Администрация Барнаула — обсуждение',
  type: 'supergroup' as const,
  username: 'barnaul_talk',
};
const CITIZEN = { id: 4242, is_bot: false, first_name: 'Ольга', last_name: 'К.', username: 'olga_k' };

let updateId = 900_000;
function groupMessage(messageId: number, text: string, extra: Record<string, unknown> = {}) {
  return telegramMessageUpdate({ updateId: ++updateId, messageId, chat: GROUP, from: CITIZEN, text, extra });
}

describe('Telegram webhook (POST /telegram/webhook)', () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let app: App;
  let stop: () => Promise<void>;
  let url: string;

  const post = (body: unknown, secret: string | null = SECRET, raw = false) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
      body: raw ? String(body) : JSON.stringify(body),
    });
  /** The messages with this text, once the inbox has decided everything acknowledged so far. */
  const messages = async (text: string) => {
    await inboxSettled(app);
    return testDb.handle.db.selectFrom('message').selectAll().where('text', '=', text).execute();
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('tg_webhook');
    const target = new URL(testDb.url);
    proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.open();
    target.port = String(proxy.port);
    ({ app, stop } = await startTelegramApp({
      database: testDb,
      env: { DATABASE_URL: target.toString(), TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET },
    }));
    url = `${app.info.httpUrl}/telegram/webhook`;
  });
  afterAll(async () => {
    await stop?.();
    await proxy.cut();
    await testDb.drop();
  });

  it('when the secret header is wrong or missing, then 401 and nothing is stored', async () => {
    expect((await post(groupMessage(1, 'без секрета'), null)).status).toBe(401);
    expect((await post(groupMessage(1, 'чужой секрет'), 'wrong-secret-0123456789')).status).toBe(401);
    const events = await sql<{ n: string }>`select count(*) as n from inbox_event`.execute(testDb.handle.db);
    expect(Number(events.rows[0]?.n)).toBe(0);
    expect(await testDb.handle.db.selectFrom('dead_letter').select('id').execute()).toHaveLength(0);
  });

  it('when the body is not JSON, not an update or can never be processed, then 200 (no re-sending) and it is parked with its raw body', async () => {
    const broken = await post('{"update_id": 1, "message": ', SECRET, true);
    expect(broken.status).toBe(200);
    expect(await broken.json()).toEqual({ ok: true, parked: 'invalid_json' });
    expect((await post({ hello: 'world' })).status).toBe(200);
    // Signed, but no platform sends these: a caption that is an object, a date in the year 5138.
    const objectCaption = { update_id: ++updateId, message: { ...groupMessage(90, 'x').message, caption: { a: 1 } } };
    expect((await post(objectCaption)).status).toBe(200);
    const farFuture = { update_id: ++updateId, message: { ...groupMessage(91, 'x').message, date: 1e11 } };
    expect((await post(farFuture)).status).toBe(200);
    const letters = await testDb.handle.db.selectFrom('dead_letter').select(['source', 'reason', 'raw']).orderBy('id').execute();
    expect(letters.map((l) => [l.source, l.reason.split(':')[0]])).toEqual([
      ['telegram-webhook', 'invalid_json'],
      ['telegram-webhook', 'not_an_update'],
      ['telegram-webhook', 'not_an_update'],
      ['telegram-webhook', 'not_an_update'],
    ]);
    expect(letters[0]?.raw).toEqual({ rawBody: '{"update_id": 1, "message": ' });
    expect(letters[1]?.raw).toEqual({ hello: 'world' });
    expect(letters[2]?.reason).toContain('message.caption');
    expect(letters[3]?.reason).toContain('message.date');
    const metrics = await (await fetch(`${app.info.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/mcu_dead_letters_total\{source="telegram-webhook"\} 4/);
  });

  it('when the bot is added to a group (my_chat_member), then the group is registered pending approval', async () => {
    const res = await post({
      update_id: ++updateId,
      my_chat_member: {
        chat: GROUP,
        from: CITIZEN,
        date: 1_764_400_000,
        old_chat_member: { status: 'left', user: { id: 666, is_bot: true, first_name: 'Bot' } },
        new_chat_member: { status: 'member', user: { id: 666, is_bot: true, first_name: 'Bot' } },
      },
    });
    expect(res.status).toBe(200);
    await inboxSettled(app);
    const source = await testDb.handle.db
      .selectFrom('source')
      .select(['id', 'status', 'kind', 'title'])
      .where('external_id', '=', String(GROUP.id))
      .executeTakeFirstOrThrow();
    expect(source).toMatchObject({ status: 'pending', kind: 'city_chat', title: GROUP.title });
    expect((await post(groupMessage(5, 'до одобрения'))).status).toBe(200);
    expect(await messages('до одобрения')).toHaveLength(0);

    const approved = await fetch(`${app.info.httpUrl}/api/v1/sources/${source.id}/approve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
    });
    expect(approved.status).toBe(200);
  });

  it('when the same update is delivered twice, then one message and one case', async () => {
    const update = groupMessage(10, 'Не горит фонарь у дома 5 по ул. Юрина');
    expect((await post(update)).status).toBe(200);
    expect((await post(update)).status).toBe(200);
    // A re-send with a new update_id but the same message is also a no-op.
    expect((await post({ ...update, update_id: ++updateId })).status).toBe(200);
    const stored = await messages('Не горит фонарь у дома 5 по ул. Юрина');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.permalink).toBe('https://t.me/barnaul_talk/10');
    await waitFor(async () => {
      const rows = await testDb.handle.db
        .selectFrom('case')
        .select('id')
        .where('text', '=', 'Не горит фонарь у дома 5 по ул. Юрина')
        .execute();
      return rows.length === 1 ? rows : undefined;
    });
  });

  it('when a comment under a channel post arrives, then its thread and post snippet are kept', async () => {
    const res = await post(
      groupMessage(11, 'А когда отремонтируют дорогу?', {
        message_thread_id: 3,
        reply_to_message: {
          message_id: 3,
          date: 1_764_300_000,
          chat: GROUP,
          is_automatic_forward: true,
          sender_chat: { id: -1009999, type: 'channel', title: 'Администрация Барнаула' },
          text: 'Ремонт дорог в 2026 году: список улиц',
        },
      }),
    );
    expect(res.status).toBe(200);
    const [comment] = await messages('А когда отремонтируют дорогу?');
    expect(comment?.kind).toBe('comment');
    expect(comment?.thread).toEqual({ postId: '3', snippet: 'Ремонт дорог в 2026 году: список улиц' });
  });

  it('when a message is edited, then the text changes and the history keeps the old one', async () => {
    await post(groupMessage(12, 'Яма на Ленина'));
    const edit = {
      update_id: ++updateId,
      edited_message: { ...groupMessage(12, 'Яма на пр-те Ленина, 10').message, edit_date: 1_764_400_100 },
    };
    expect((await post(edit)).status).toBe(200);
    const [edited] = await messages('Яма на пр-те Ленина, 10');
    expect(edited?.edited_at).not.toBeNull();
    const history = await testDb.handle.db
      .selectFrom('message_edit')
      .select(['previous_text', 'new_text'])
      .where('message_id', '=', edited?.id ?? 0)
      .execute();
    expect(history).toEqual([{ previous_text: 'Яма на Ленина', new_text: 'Яма на пр-те Ленина, 10' }]);
  });

  it('when the text is hostile (platform maximum, emoji, zero-width, RTL, HTML, SQL, NUL), then it is stored verbatim and safely', async () => {
    const tricky = "'); DROP TABLE message; -- <script>alert(1)</script> \u200b\u200f עברית 👨‍👩‍👧 \u0000end";
    const text = (tricky + 'я'.repeat(4096)).slice(0, 4096);
    expect((await post(groupMessage(13, text))).status).toBe(200);
    const [stored] = await messages(text.replace('\u0000', '\uFFFD'));
    expect(stored?.text).toHaveLength(4096);
    expect(stored?.text.startsWith("'); DROP TABLE message; --")).toBe(true);
  });

  it('when an update type is not handled, then 200, counted and ignored', async () => {
    const res = await post({
      update_id: ++updateId,
      poll: {
        id: 'p1',
        question: 'Q',
        options: [],
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: 'regular',
        allows_multiple_answers: false,
      },
    });
    expect(res.status).toBe(200);
    await inboxSettled(app);
    const metrics = await (await fetch(`${app.info.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/mcu_updates_ignored_total\{channel="telegram",type="poll"\} 1/);
  });

  it('when the database is unreachable, then 503 (Telegram re-sends); once it is back the same update is stored', async () => {
    const update = groupMessage(14, 'Сообщение во время сбоя БД');
    await proxy.cut();
    const failed = await post(update);
    expect(failed.status).toBe(503);
    await proxy.open();
    const ok = await waitFor(async () => {
      const res = await post(update);
      return res.status === 200 ? res : undefined;
    });
    expect(ok.status).toBe(200);
    expect(await messages('Сообщение во время сбоя БД')).toHaveLength(1);
  });
});
