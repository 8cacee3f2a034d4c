import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { loadConfig } from '../../config/index.js';
import { App } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { startTelegramEmulator, type TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { apiCall, TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { telegramCallbackUpdate, telegramMessageUpdate, telegramPrivateChat } from '../helpers/payloads.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { botMessagesTo, waitForBotMessage } from '../helpers/telegram.js';

// Distinctive data: any of these in a log line is a leak.
const TOKEN = '5987654321:AAHlogScanTokenDoNotLeak_0123456789xyz';
const SECRET = 'webhook-secret-do-not-leak-0123456789';
const CITIZEN = {
  id: 987654321012,
  is_bot: false,
  first_name: 'Аграфена',
  last_name: 'Секретова',
  username: 'agrafena_secret_77',
  language_code: 'ru',
};
const OFFICIAL = { id: 876543210987, is_bot: false, first_name: 'Евлампия', username: 'evlampia_official_55' };
const PHONE = '+79991234567';
const PHRASE = 'сиреневый дирижабль';
const TEXT = `Во дворе дома 12 по улице Малахова ${PHRASE} перегородил проезд, не убран снег. Мой телефон ${PHONE}`;

type User = typeof CITIZEN | typeof OFFICIAL;
let updateId = 700_000;
let messageId = 100;
const now = () => Math.floor(Date.now() / 1000);
const message = (u: User, text: string) =>
  telegramMessageUpdate({
    updateId: ++updateId,
    messageId: ++messageId,
    date: now(),
    chat: telegramPrivateChat(u),
    from: u,
    text,
  });
const callback = (u: User, data: string) =>
  telegramCallbackUpdate({ updateId: ++updateId, id: String(++messageId), date: now(), from: u, data });

describe('logs at the default level carry no personal data or secrets (webhook flow with a database outage)', () => {
  let testDb: TestDatabase;
  let emulator: TelegramEmulator;
  let proxy: TcpProxy;
  let app: App;
  const lines: string[] = [];

  const post = (update: unknown) =>
    fetch(`${app.info.httpUrl}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
  /** Delivers like Telegram does: again and again until the app answers 200. */
  const deliver = (update: unknown) => waitFor(async () => ((await post(update)).status === 200 ? true : undefined), 30_000, 200);
  const expectReply = async (chatId: number, send: () => Promise<unknown>, pattern: RegExp) => {
    const seen = botMessagesTo(emulator.server, chatId).length;
    await send();
    return waitForBotMessage(emulator.server, chatId, pattern, seen, 30_000);
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('no_personal_data');
    const target = new URL(testDb.url);
    proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.open();
    target.port = String(proxy.port);
    emulator = await startTelegramEmulator();
    const config = loadConfig({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'mcu-logs-')),
      HTTP_PORT: '0',
      API_TOKEN: TEST_API_TOKEN,
      SANDBOX: 'false',
      LOG_LEVEL: 'info',
      DATABASE_URL: target.toString(),
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      APP_ROLES: 'http,telegram,worker',
    });
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        cb();
      },
    });
    const log = createLogger({ level: config.logLevel, destination });
    app = new App(config, loadDomainConfig('config/barnaul.yaml'), log, { pollTimeoutSeconds: 1 });
    await app.start();
  });
  afterAll(async () => {
    if (process.env.DUMP_LOG_LINES) writeFileSync(process.env.DUMP_LOG_LINES, lines.join('\n'));
    await app?.stop();
    await emulator?.stop();
    await proxy?.cut();
    await testDb?.drop();
  });

  it('when a citizen writes (through a database outage), an official answers and the citizen rates, then no log line leaks', async () => {
    const db = testDb.handle.db;
    // The Bot API goes away while the citizen says /start: the update is kept and answered once it is back.
    const port = Number(new URL(emulator.apiRoot).port);
    await emulator.stop();
    await deliver(message(CITIZEN, '/start'));
    await new Promise((r) => setTimeout(r, 2_000));
    emulator = await startTelegramEmulator(port);
    await waitForBotMessage(emulator.server, CITIZEN.id, /согласие/, 0, 60_000);
    await expectReply(CITIZEN.id, () => deliver(callback(CITIZEN, 'consent:yes')), /опишите проблему/);

    // The database goes away while the citizen writes: the webhook answers 503 and Telegram re-sends.
    const update = message(CITIZEN, TEXT);
    await proxy.cut();
    expect((await post(update)).status).toBe(503);
    await new Promise((r) => setTimeout(r, 2_000));
    await proxy.open();
    await expectReply(CITIZEN.id, () => deliver(update), /зарегистрировано под номером/);
    const row = await waitFor(() => db.selectFrom('case').select(['id', 'number']).executeTakeFirst());

    // An official is invited, binds in Telegram, takes the case and answers it.
    const invite = await apiCall(app, 'POST', '/api/v1/officials/invites', {
      name: 'Евлампиева Е. Е.',
      department: 'adm-industrial',
      role: 'official',
    });
    expect(invite.status).toBe(201);
    await expectReply(OFFICIAL.id, () => deliver(message(OFFICIAL, `/start ${invite.body.token}`)), /Вы подключены/);
    await db.updateTable('case').set({ department: 'adm-industrial' }).where('id', '=', row.id).execute();
    const { status } = await db.selectFrom('case').select('status').where('id', '=', row.id).executeTakeFirstOrThrow();
    if (status !== 'assigned') {
      expect((await apiCall(app, 'POST', `/api/v1/cases/${row.id}/status`, { to: 'assigned' })).status).toBe(200);
    }
    await expectReply(OFFICIAL.id, () => deliver(callback(OFFICIAL, `take:${row.id}`)), /взято в работу/);
    await expectReply(OFFICIAL.id, () => deliver(callback(OFFICIAL, `answer:${row.id}:final`)), /Напишите ответ/);
    const answer = 'Снег во дворе вывезен 03.12 бригадой подрядчика, проезд свободен, контроль — мастер Иванов И. И.';
    const told = expectReply(CITIZEN.id, async () => {}, /Ответ по вашему обращению/);
    await expectReply(OFFICIAL.id, () => deliver(message(OFFICIAL, answer)), /отправлен жителю/);
    await told;

    // The poll: solved, rated 4.
    await expectReply(
      CITIZEN.id,
      () => app.queue?.send('ask-poll', { caseId: row.id, reminder: false }) as Promise<unknown>,
      /решена/,
    );
    await expectReply(CITIZEN.id, () => deliver(callback(CITIZEN, `poll:${row.id}:yes`)), /Оцените/);
    await expectReply(CITIZEN.id, () => deliver(callback(CITIZEN, `rate:${row.id}:4`)), /Спасибо за оценку/);
    await app.stop();

    // The scan: every captured line, every level that was written (info and above).
    const dbPassword = decodeURIComponent(new URL(testDb.url).password);
    const forbidden = [
      CITIZEN.first_name,
      CITIZEN.last_name,
      CITIZEN.username,
      String(CITIZEN.id),
      OFFICIAL.first_name,
      OFFICIAL.username,
      String(OFFICIAL.id),
      PHONE,
      PHONE.slice(1),
      PHRASE,
      'дирижабль',
      TOKEN,
      TOKEN.split(':')[1] as string,
      SECRET,
      ...(dbPassword.length >= 4 ? [dbPassword, encodeURIComponent(dbPassword)] : []),
    ];
    expect(lines.length).toBeGreaterThan(10);
    // The outage was logged (the paths that used to leak did run).
    expect(lines.some((l) => /"level":(40|50)/.test(l))).toBe(true);
    const leaks = lines.flatMap((line) => forbidden.filter((s) => line.includes(s)).map((s) => `${s} in ${line.slice(0, 300)}`));
    expect(leaks).toEqual([]);
    // No stack traces at the default level.
    expect(lines.filter((l) => l.includes('"stack"'))).toEqual([]);
  }, 120_000);
});
