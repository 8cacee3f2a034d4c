import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { apiCall, startTelegramApp } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/database.js';
import { seedCase, seedReminder } from '../helpers/rows.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

describe('officials: invite → bind → /my, with access checks (Bot API emulator)', () => {
  let testDb: TestDatabase;
  let emulator: TelegramEmulator;
  let app: App;
  let stop: () => Promise<void>;

  const api = (method: string, path: string, body?: unknown) => apiCall(app, method, path, body);
  const user = (id: number) => emulator.server.getClient(emulator.token, { userId: id, chatId: id, firstName: 'Сотрудник' });
  const say = async (id: number, command: string, expect: RegExp) => {
    const seen = botMessagesTo(emulator.server, id).length;
    const c = user(id);
    await c.sendCommand(c.makeCommand(command));
    return waitForBotMessage(emulator.server, id, expect, seen);
  };

  beforeAll(async () => {
    ({ testDb, emulator, app, stop } = await startTelegramApp({ database: 'tg_officials' }));
  });
  afterAll(() => stop?.());

  it('when an operator invites an official and the official opens the link, then the account is bound and /my works', async () => {
    const invite = await api('POST', '/api/v1/officials/invites', {
      name: 'Иванова А. П.',
      department: 'adm-industrial',
      role: 'official',
    });
    expect(invite.status).toBe(201);
    expect(invite.body.link).toBe(`https://t.me/TestNameBot?start=${invite.body.token}`);
    const bound = await say(7001, `/start ${invite.body.token}`, /Вы подключены/);
    expect(bound).toContain('Иванова А. П.');
    expect(bound).toContain('Индустриального района');
    expect(await say(7001, '/my', /Открытых обращений|Открытые обращения/)).toMatch(/Индустриального района/);

    // The link is single-use: a second person opening it is refused.
    expect(await say(7002, `/start ${invite.body.token}`, /уже использовано/)).toBeTruthy();
  });

  it('when staff are listed, invited again or given a preferred messenger, then the API shows and checks the messengers', async () => {
    const invite = await api('POST', '/api/v1/officials/invites', { name: 'Кузнецов', department: 'mcu', role: 'operator' });
    // Only Telegram runs in this instance: its link, and none for MAX.
    expect(invite.body.links).toEqual({ telegram: invite.body.link, max: null });
    await say(7020, `/start ${invite.body.token}`, /Вы подключены/);
    const id = Number(invite.body.officialId);
    const listed = async () => ((await api('GET', '/api/v1/officials')).body.items as { id: number }[]).find((p) => p.id === id);
    expect(await listed()).toMatchObject({
      preferredChannel: 'telegram',
      accounts: [{ channel: 'telegram', userId: '7020', blocked: false }],
    });

    // A second invite for the same person (to bind MAX, say): a fresh link, the person unchanged.
    const again = await api('POST', `/api/v1/officials/${id}/invites`);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ officialId: id, links: { telegram: expect.stringContaining('t.me/TestNameBot?start=') } });
    expect(again.body.token).not.toBe(invite.body.token);

    const prefer = (channel: unknown, who = id) => api('POST', `/api/v1/officials/${who}/preferred-channel`, { channel });
    expect((await prefer('max')).body).toMatchObject({ error: { code: 'CHANNEL_NOT_BOUND' } });
    expect((await prefer('max')).status).toBe(409);
    expect(await prefer('telegram')).toMatchObject({ status: 200, body: { id, preferredChannel: 'telegram' } });
    expect((await prefer('vk')).body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await prefer('telegram', 999_999)).status).toBe(404);
    expect((await api('POST', '/api/v1/officials/999999/invites')).status).toBe(404);

    expect((await api('POST', `/api/v1/officials/${id}/deactivate`)).status).toBe(200);
    expect(await listed()).toMatchObject({ active: false, preferredChannel: null, accounts: [] });
  });

  it('when a reminder is due, then the official gets the case card and «Взять в работу» takes the case; a stranger cannot', async () => {
    const db = testDb.handle.db;
    const now = new Date();
    const created = await seedCase(db, {
      number: 'МЦУ-2026-400001',
      text: 'Не убран снег во дворе',
      department: 'adm-industrial',
      deadline_at: now,
      at: now,
    });
    await seedReminder(db, { case_id: created.id, kind: 'before:100', at: now });
    const seen = botMessagesTo(emulator.server, 7001).length;
    await app.queue?.send('remind', { caseId: created.id, kind: 'before:100' });
    const card = await waitForBotMessage(emulator.server, 7001, /МЦУ-2026-400001/, seen);
    expect(card).toContain('Не убран снег во дворе');
    const message = botMessagesTo(emulator.server, 7001).find((m) => m.text === card);
    expect(JSON.stringify(message?.replyMarkup)).toContain(`take:${created.id}`);

    const stranger = user(7003);
    await stranger.sendCallback(stranger.makeCallbackQuery(`take:${created.id}`));
    const official = user(7001);
    const before = botMessagesTo(emulator.server, 7001).length;
    await official.sendCallback(official.makeCallbackQuery(`take:${created.id}`));
    await waitForBotMessage(emulator.server, 7001, /взято в работу/, before);
    const row = await db.selectFrom('case').select('status').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('in_progress');
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('entity', '=', 'case')
      .where('entity_id', '=', String(created.id))
      .execute();
    expect(audit).toEqual([{ actor: expect.stringMatching(/^official:\d+$/), details: { from: 'assigned', to: 'in_progress' } }]);
  });

  it('when the official presses «Ответить» and writes, then a weak text comes back for revision and a concrete one is sent', async () => {
    const row = await testDb.handle.db
      .selectFrom('case')
      .select(['id', 'number'])
      .where('number', '=', 'МЦУ-2026-400001')
      .executeTakeFirstOrThrow();
    const official = user(7001);
    let seen = botMessagesTo(emulator.server, 7001).length;
    await official.sendCallback(official.makeCallbackQuery(`answer:${row.id}:final`));
    await waitForBotMessage(emulator.server, 7001, /Напишите ответ по существу по обращению МЦУ-2026-400001/, seen);

    seen = botMessagesTo(emulator.server, 7001).length;
    await official.sendMessage(official.makeMessage('Принято к сведению'));
    const warning = await waitForBotMessage(emulator.server, 7001, /похож на «отписку»/, seen);
    expect(warning).toContain('шаблонные фразы');
    expect(JSON.stringify(botMessagesTo(emulator.server, 7001).at(-1)?.replyMarkup)).toContain('answer:force');

    seen = botMessagesTo(emulator.server, 7001).length;
    await official.sendMessage(
      official.makeMessage('Снег во дворе вывезен 03.12 бригадой подрядчика, контроль — мастер Иванов И. И.'),
    );
    await waitForBotMessage(emulator.server, 7001, /отправлен жителю/, seen);
    const after = await testDb.handle.db.selectFrom('case').select('status').where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('answered');
    const answers = await testDb.handle.db
      .selectFrom('answer')
      .select(['author', 'kind'])
      .where('case_id', '=', row.id)
      .execute();
    expect(answers).toEqual([{ author: expect.stringMatching(/^official:\d+$/), kind: 'final' }]);
  });

  it("when /overdue is asked, then the department's overdue cases; /overdue all only for roles that see all cases", async () => {
    const past = new Date(Date.now() - 3_600_000);
    await seedCase(testDb.handle.db, {
      number: 'МЦУ-2026-400002',
      status: 'in_progress',
      text: 'Сломана скамейка',
      department: 'adm-industrial',
      deadline_at: past,
      at: past,
    });
    expect(await say(7001, '/overdue', /Просроченные обращения/)).toContain('МЦУ-2026-400002');
    expect(await say(7001, '/overdue all', /Недостаточно прав/)).toBeTruthy();
    expect(await say(7001, '/overdue everything', /Команда: \/overdue/)).toBeTruthy();
  });

  it('when an operator uses /queue and /category, then triage is listed and corrected; an official may not', async () => {
    const db = testDb.handle.db;
    await seedCase(db, {
      number: 'МЦУ-2026-400003',
      status: 'triage',
      text: 'Непонятно что',
      suggestions: JSON.stringify([
        { label: 'roads', confidence: 0.41 },
        { label: 'yards', confidence: 0.22 },
      ]),
    });
    const invite = await api('POST', '/api/v1/officials/invites', { name: 'Оператор', department: 'mcu', role: 'operator' });
    await say(7010, `/start ${invite.body.token}`, /Вы подключены/);
    const queue = await say(7010, '/queue', /Ждут распределения/);
    expect(queue).toContain('МЦУ-2026-400003');
    // The classifier's guesses help the operator pick the category.
    expect(queue).toContain('→ roads 41 %, yards 22 %');
    expect(await say(7001, '/queue', /Недостаточно прав/)).toBeTruthy();
    expect(await say(7010, '/category МЦУ-2026-400003 roads', /категория «roads»/)).toBeTruthy();
    expect(await say(7010, '/category МЦУ-2026-400003 teleport', /Нет категории «teleport»/)).toBeTruthy();
    expect(await say(7010, '/category oops', /Команда: \/category/)).toBeTruthy();
    const row = await db
      .selectFrom('case')
      .select(['status', 'category'])
      .where('number', '=', 'МЦУ-2026-400003')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'assigned', category: 'roads' });
  });

  it('when an official asks /case with a number, then the card with its buttons; another department gets «Недостаточно прав»', async () => {
    const card = await say(7001, '/case МЦУ-2026-400002', /Обращение МЦУ-2026-400002/);
    expect(card).toContain('Сломана скамейка');
    expect(JSON.stringify(botMessagesTo(emulator.server, 7001).at(-1)?.replyMarkup)).toContain('answer:');
    expect(await say(7001, '/case МЦУ-2026-999999', /не найдено/)).toBeTruthy();
    expect(await say(7001, '/case 123', /Команда: \/case/)).toBeTruthy();
  });

  it('when a citizen or a stranger sends /my, then «Недостаточно прав»', async () => {
    expect(await say(7003, '/my', /Недостаточно прав/)).toBeTruthy();
  });

  it('when an official is deactivated, then access is gone at once', async () => {
    const invite = await api('POST', '/api/v1/officials/invites', {
      name: 'Петров',
      department: 'roads-transport',
      role: 'department_head',
    });
    await say(7004, `/start ${invite.body.token}`, /Вы подключены/);
    expect((await api('POST', `/api/v1/officials/${invite.body.officialId}/deactivate`)).status).toBe(200);
    expect(await say(7004, '/my', /Недостаточно прав/)).toBeTruthy();
    expect((await api('POST', `/api/v1/officials/${invite.body.officialId}/deactivate`)).status).toBe(404);
  });

  it('when an invite is for an unknown department or role, or unknown to the bot, then it is refused', async () => {
    expect(
      (await api('POST', '/api/v1/officials/invites', { name: 'X', department: 'nowhere', role: 'official' })).body,
    ).toMatchObject({
      error: { code: 'UNKNOWN_DEPARTMENT' },
    });
    expect((await api('POST', '/api/v1/officials/invites', { name: 'X', department: 'mcu', role: 'king' })).body).toMatchObject({
      error: { code: 'UNKNOWN_ROLE' },
    });
    expect(await say(7005, `/start ${'A'.repeat(32)}`, /не найдена/)).toBeTruthy();
  });
});
