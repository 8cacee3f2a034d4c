import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_WITHDRAWN_NOTE } from '../../handlers/privacy/index.js';
import type { Db } from '../../models/database.js';
import type { App } from '../../src/app.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { apiCall, inboxSettled, startTelegramApp, TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { seedOfficial } from '../helpers/rows.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

const KSENIA = 731234567;
const OLEG = 731234568;
const OFFICIAL = 732000001;
const CASE_NUMBER = /МЦУ-\d{4}-\d{6}/;

/** Every row of the application's tables as text (pg-boss's queue lives in its own schema). */
async function databaseText(db: Db): Promise<string> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'kysely_migration'`.execute(db);
  const parts: string[] = [];
  for (const { name } of tables.rows)
    parts.push(
      ...(await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(db)).rows.map((r) => r.row),
    );
  return parts.join('\n');
}

describe('personal data on request: /forget in the messenger, the operator’s export and forget', () => {
  let testDb: TestDatabase;
  let emulator: TelegramEmulator;
  let app: App;
  let stop: () => Promise<void>;
  let db: Db;

  beforeAll(async () => {
    ({ testDb, emulator, app, stop } = await startTelegramApp({ database: 'privacy_forget' }));
    db = testDb.handle.db;
  });
  afterAll(() => stop?.());

  const client = (userId: number, firstName: string) =>
    emulator.server.getClient(emulator.token, { userId, chatId: userId, firstName, userName: `user${userId}` });

  /** Consents and writes one appeal; the case's number. */
  async function appeal(userId: number, firstName: string, text: string): Promise<string> {
    const c = client(userId, firstName);
    await c.sendCommand(c.makeCommand('/start'));
    await waitForBotMessage(emulator.server, userId, /согласие на обработку персональных данных/);
    let seen = botMessagesTo(emulator.server, userId).length;
    await c.sendCallback(c.makeCallbackQuery('consent:yes'));
    await waitForBotMessage(emulator.server, userId, /Спасибо! Теперь опишите проблему/, seen);
    seen = botMessagesTo(emulator.server, userId).length;
    await c.sendMessage(c.makeMessage(text));
    return (await waitForBotMessage(emulator.server, userId, CASE_NUMBER, seen)).match(CASE_NUMBER)?.[0] ?? '';
  }

  it('when a citizen sends /forget, then the bot says what it does and how to confirm, and nothing changes yet', async () => {
    const number = await appeal(KSENIA, 'Ксения', 'Нет горячей воды, ул. Попова, 105, кв. 7. Мой телефон 89131234567');
    const kase = await db
      .selectFrom('case')
      .select(['id', 'department', 'status'])
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    // The department's official, who must hear that the case is closed.
    await seedOfficial(db, { telegram: String(OFFICIAL), department: kase.department ?? 'housing-utilities', role: 'official' });
    const citizen = await db
      .selectFrom('citizen')
      .select('id')
      .where('external_id', '=', String(KSENIA))
      .executeTakeFirstOrThrow();
    await db
      .insertInto('subscription')
      .values({ citizen_id: citizen.id, channel: 'telegram', chat_id: String(KSENIA) })
      .execute();

    const seen = botMessagesTo(emulator.server, KSENIA).length;
    const c = client(KSENIA, 'Ксения');
    await c.sendMessage(c.makeMessage('/forget'));
    expect(await waitForBotMessage(emulator.server, KSENIA, /Это необратимо/, seen)).toContain('/forget да');
    await inboxSettled(app);
    expect(await db.selectFrom('citizen').select('anonymised_at').where('id', '=', citizen.id).executeTakeFirst()).toEqual({
      anonymised_at: null,
    });
    expect((await db.selectFrom('case').select('status').where('id', '=', kase.id).executeTakeFirstOrThrow()).status).not.toBe(
      'closed',
    );
  });

  it('when the citizen confirms with «/forget да», then their open case is closed with the note, the department is told, and nothing names them any more', async () => {
    const seen = botMessagesTo(emulator.server, KSENIA).length;
    const c = client(KSENIA, 'Ксения');
    await c.sendMessage(c.makeMessage('/forget да'));
    const reply = await waitForBotMessage(emulator.server, KSENIA, /согласие отозвано/, seen);
    await inboxSettled(app);
    const kase = await db.selectFrom('case').select(['id', 'number', 'status', 'text']).executeTakeFirstOrThrow();
    expect(reply).toContain(`Закрыты обращения: ${kase.number}`);
    expect(kase.status).toBe('closed');
    expect(kase.text).toBe('Нет горячей воды, ул. Попова, ***, кв. ***. Мой телефон [телефон]');

    // The case's history says why (the console shows the comment), and the official gets the card.
    const history = await db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('entity', '=', 'case')
      .where('entity_id', '=', String(kase.id))
      .where('action', '=', 'status_changed')
      .execute();
    expect(history.at(-1)).toMatchObject({
      actor: 'citizen:telegram',
      details: { to: 'closed', comment: CONSENT_WITHDRAWN_NOTE },
    });
    const card = await waitForBotMessage(emulator.server, OFFICIAL, /отозвал согласие/);
    expect(card).toContain(kase.number);

    const citizen = await db.selectFrom('citizen').selectAll().executeTakeFirstOrThrow();
    expect(citizen).toMatchObject({
      external_id: `anonymised:${citizen.id}`,
      consent: 'declined',
      display_name: null,
      username: null,
    });
    const actions = await db.selectFrom('audit_log').select('action').where('entity', '=', 'citizen').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['consent_given', 'consent_withdrawn', 'citizen_anonymised']);
    expect(await db.selectFrom('subscription_event').select(['action', 'via']).execute()).toEqual([
      { action: 'unsubscribe', via: 'forget' },
    ]);

    // The stored updates (the /start, the consent press, the message, the /forget itself) are scrubbed too.
    const dump = await databaseText(db);
    for (const needle of [String(KSENIA), 'Ксения', `user${KSENIA}`, '9131234567']) expect(dump, needle).not.toContain(needle);
    const events = await db.selectFrom('inbox_event').select(['payload', 'status']).execute();
    expect(events.length).toBeGreaterThanOrEqual(4);
    for (const e of events) expect(e.payload).toMatchObject({ forgotten: true });
  });

  it('when the forgotten person writes again, then they are a stranger who is asked for consent', async () => {
    const seen = botMessagesTo(emulator.server, KSENIA).length;
    const c = client(KSENIA, 'Ксения');
    await c.sendMessage(c.makeMessage('Снова нет воды'));
    await waitForBotMessage(emulator.server, KSENIA, /Сначала нужно ваше согласие/, seen);
    await c.sendMessage(c.makeMessage('/forget да'));
    await waitForBotMessage(emulator.server, KSENIA, /Мы не храним ваших персональных данных/, seen);
  });

  it('when an operator exports a citizen’s data, then everything stored comes back and the export is audited; an official is refused', async () => {
    const number = await appeal(OLEG, 'Олег', 'Яма на дороге, Павловский тракт 120');
    const found = await apiCall(app, 'GET', `/api/v1/citizens?case=${encodeURIComponent(number)}`);
    const items = found.body.items as { id: number }[];
    expect(items).toHaveLength(1);
    const id = items[0]?.id ?? 0;
    const byPlatform = await apiCall(app, 'GET', `/api/v1/citizens?channel=telegram&externalId=${OLEG}`);
    expect(byPlatform.body.items).toEqual([{ id, channel: 'telegram', anonymisedAt: null }]);

    const operator = await seedOfficial(db, { department: 'mcu', role: 'operator' });
    const official = await seedOfficial(db, { department: 'roads-transport', role: 'official' });
    const token = async (officialId: number) =>
      String((await apiCall(app, 'POST', `/api/v1/officials/${officialId}/api-tokens`, undefined, TEST_API_TOKEN)).body.token);
    const refused = await apiCall(app, 'GET', `/api/v1/citizens/${id}/export`, undefined, await token(official.id));
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });

    const exported = await apiCall(app, 'GET', `/api/v1/citizens/${id}/export`, undefined, await token(operator.id));
    expect(exported.status).toBe(200);
    expect(exported.body.citizen).toMatchObject({
      id,
      channel: 'telegram',
      externalId: String(OLEG),
      displayName: 'Олег',
      username: `user${OLEG}`,
    });
    expect(exported.body.messages).toEqual([expect.objectContaining({ text: 'Яма на дороге, Павловский тракт 120' })]);
    expect(exported.body.cases).toEqual([expect.objectContaining({ number, text: 'Яма на дороге, Павловский тракт 120' })]);
    expect((exported.body.audit as { action: string }[]).map((a) => a.action)).toContain('consent_given');
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'citizen_exported')
      .execute();
    expect(audit).toEqual([{ actor: `official:${operator.id}`, details: { messages: 1, cases: 1, pageComments: 0 } }]);
  });

  it('when an operator anonymises a citizen on request, then it is done once and a second request is a conflict', async () => {
    const [oleg] = await db.selectFrom('citizen').select('id').where('external_id', '=', String(OLEG)).execute();
    const id = oleg?.id ?? 0;
    const done = await apiCall(app, 'POST', `/api/v1/citizens/${id}/forget`, { author: 'обращение №12 от 01.12' });
    expect(done).toMatchObject({ status: 200, body: { id, status: 'forgotten' } });
    expect((done.body.closedCases as string[]).length).toBe(1);
    expect(await apiCall(app, 'POST', `/api/v1/citizens/${id}/forget`)).toMatchObject({
      status: 409,
      body: { error: { code: 'ALREADY_ANONYMISED' } },
    });
    expect(await apiCall(app, 'GET', '/api/v1/citizens/999999/export')).toMatchObject({ status: 404 });
    const entry = await waitFor(() =>
      db
        .selectFrom('audit_log')
        .select(['actor', 'details'])
        .where('action', '=', 'citizen_anonymised')
        .where('entity_id', '=', String(id))
        .executeTakeFirst(),
    );
    expect(entry).toMatchObject({ actor: 'api:обращение №12 от 01.12', details: { reason: 'operator', cases: 1, messages: 1 } });
  });
});
