import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDomainConfig } from '../../config/domain.js';
import { loadConfig } from '../../config/index.js';
import { App } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { inboxSettled, TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import { BotApiFake, FAKE_BOT_TOKEN } from '../helpers/bot-api-fake.js';
import { burst, killDatabase, pauseDatabase, reached } from '../helpers/faults.js';
import { telegramMessageUpdate, vkEvent } from '../helpers/payloads.js';
import { seedSource } from '../helpers/rows.js';
import { VkApiFake } from '../helpers/vk-fake.js';

const EVENTS = 1_000;
const SECRET = 'fault-webhook-secret-0123456789';
const VK_SECRET = 'fault-vk-secret';
const GROUP_ID = 219_000_777;
const CHAT = { id: -1_009_000_000_001, type: 'supergroup', title: 'Барнаул — чат района' };

/**
 * The database killed (kill -9 of the postmaster; the app's supervisor restarts it) and paused
 * (SIGSTOP of the server and its backends for 5 s) while 1,000 events arrive: every event is either
 * acknowledged after it was stored, or refused with a retryable answer and re-sent, as the
 * platforms do. After recovery: exactly 1,000 messages, none twice.
 */
describe('fault: the database killed and paused during a burst (webhook, callback, poller)', () => {
  const dirs: string[] = [];
  const bot = new BotApiFake();
  const vk = new VkApiFake();
  let app: App;
  let dataDir: string;

  const start = async (env: Record<string, string>) => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      HTTP_PORT: '0',
      API_TOKEN: TEST_API_TOKEN,
      SANDBOX: 'false',
      TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
      TELEGRAM_API_ROOT: bot.apiRoot,
      ...env,
    });
    const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const started = new App(config, loadDomainConfig('config/barnaul.yaml'), log, { pollTimeoutSeconds: 1 });
    await started.start();
    return started;
  };
  /** Messages with this prefix once the inbox is settled: how many, how many distinct, how many not decided. */
  const messagesLike = async (prefix: string) => {
    await inboxSettled(app, 180_000);
    const db = app.database?.db;
    if (!db) throw new Error('no database');
    const rows = await sql<{ n: number; distinct: number; undecided: number }>`
      select count(*)::int as n, count(distinct external_id)::int as distinct,
             count(*) filter (where processed_at is null)::int as undecided
      from message where text like ${`${prefix}%`}`.execute(db);
    const parked = await sql<{ n: number }>`select count(*)::int as n from dead_letter`.execute(db);
    return { ...(rows.rows[0] ?? { n: 0, distinct: 0, undecided: 0 }), parked: parked.rows[0]?.n ?? 0 };
  };
  const faults = (label: string) => async (progress: () => number) => {
    await reached(progress, 250);
    killDatabase(dataDir);
    await reached(progress, 600);
    await pauseDatabase(dataDir, 5_000);
    console.info(`[fault] ${label}: database killed at event 250, paused 5 s at event 600`);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mcu-fault-db-'));
    dirs.push(dataDir);
    await bot.start();
    await vk.start();
    app = await start({
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      VK_GROUP_TOKEN: 'vk1.a.fault-token',
      VK_GROUP_ID: String(GROUP_ID),
      VK_API_BASE_URL: vk.baseUrl,
      VK_MODE: 'callback',
      VK_CALLBACK_SECRET: VK_SECRET,
      VK_CONFIRMATION_CODE: 'fault123',
    });
    // The city chat is an approved source (its messages are captured silently).
    await seedSource(app.database?.db ?? (undefined as never), {
      channel: 'telegram',
      external_id: String(CHAT.id),
      kind: 'city_chat',
      title: CHAT.title,
    });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await bot.stop();
    await vk.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('Telegram webhook: 1,000 updates, database killed and paused → exactly 1,000 messages', { timeout: 300_000 }, async () => {
    const url = `${app.info.httpUrl}/telegram/webhook`;
    const report = await burst({
      count: EVENTS,
      concurrency: 16,
      send: async (i) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify(
            telegramMessageUpdate({
              updateId: 10_000 + i,
              messageId: 1 + i,
              chat: CHAT,
              from: { id: 7_000 + (i % 50), is_bot: false, first_name: 'Житель' },
              text: `tg-fault-${i} не горит фонарь у дома ${i}`,
            }),
          ),
        });
        await res.body?.cancel();
        return res.status;
      },
      during: faults('telegram webhook'),
    });
    const stored = await messagesLike('tg-fault-');
    console.info(
      `[fault] telegram webhook: ${EVENTS} updates → acknowledged ${report.acknowledged}, refused retryably ${report.retryable} (re-sent in ${report.rounds} rounds), wrong answers ${report.wrong.length}; messages stored ${stored.n} (distinct ${stored.distinct}, undecided ${stored.undecided}), dead letters ${stored.parked}`,
    );
    expect(report.wrong).toEqual([]);
    expect(report.acknowledged).toBe(EVENTS);
    expect(stored).toEqual({ n: EVENTS, distinct: EVENTS, undecided: 0, parked: 0 });
  });

  it('VK Callback API: 1,000 events, database killed and paused → exactly 1,000 messages', { timeout: 300_000 }, async () => {
    await waitFor(async () => ((await app.health()).db === 'ok' ? true : undefined), 60_000);
    const url = `${app.info.httpUrl}/vk/callback`;
    const report = await burst({
      count: EVENTS,
      concurrency: 16,
      send: async (i) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(
            vkEvent(
              { groupId: GROUP_ID, secret: VK_SECRET },
              'wall_reply_new',
              {
                id: 1 + i,
                from_id: 9_000 + (i % 50),
                post_id: 77,
                owner_id: -GROUP_ID,
                date: 1_764_400_100,
                text: `vk-fault-${i} яма на дороге у дома ${i}`,
              },
              `vk-fault-${i}`,
            ),
          ),
        });
        const text = await res.text();
        return res.status === 200 && text !== 'ok' ? 599 : res.status;
      },
      during: faults('VK callback'),
    });
    const stored = await messagesLike('vk-fault-');
    console.info(
      `[fault] VK callback: ${EVENTS} events → acknowledged ${report.acknowledged}, refused retryably ${report.retryable} (re-sent in ${report.rounds} rounds), wrong answers ${report.wrong.length}; messages stored ${stored.n} (distinct ${stored.distinct}, undecided ${stored.undecided}), dead letters ${stored.parked}`,
    );
    expect(report.wrong).toEqual([]);
    expect(stored).toEqual({ n: EVENTS, distinct: EVENTS, undecided: 0, parked: 0 });
  });

  it('Telegram poller: 1,000 updates, database killed and paused → exactly 1,000 messages, the offset never passes an unstored update', {
    timeout: 300_000,
  }, async () => {
    await app.stop();
    app = await start({ TELEGRAM_MODE: 'polling' });
    let pushed = 0;
    const push = async () => {
      for (let i = 0; i < EVENTS; i++) {
        bot.push(
          telegramMessageUpdate({
            updateId: 50_000 + i,
            messageId: 5_000 + i,
            chat: CHAT,
            from: { id: 7_100 + (i % 50), is_bot: false, first_name: 'Житель' },
            text: `poll-fault-${i} мусор во дворе дома ${i}`,
          }),
        );
        pushed++;
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 5));
      }
    };
    await Promise.all([push(), faults('telegram poller')(() => pushed)]);
    // The poller is back from the outage's back-off and has confirmed every update (offset past the last):
    // only then is the inbox's count final — under a loaded machine it may still be waiting to poll again.
    await waitFor(async () => (bot.unconfirmed() === 0 ? true : undefined), 180_000, 100);
    const stored = await messagesLike('poll-fault-');
    console.info(
      `[fault] telegram poller: ${EVENTS} updates → messages stored ${stored.n} (distinct ${stored.distinct}, undecided ${stored.undecided}), dead letters ${stored.parked}`,
    );
    expect(stored).toEqual({ n: EVENTS, distinct: EVENTS, undecided: 0, parked: 0 });
  });
});
