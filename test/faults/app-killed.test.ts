import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxBacklog } from '../../models/inbox-repository.js';
import { TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import { BotApiFake, FAKE_BOT_TOKEN } from '../helpers/bot-api-fake.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { burst, reached } from '../helpers/faults.js';
import { telegramMessageUpdate } from '../helpers/payloads.js';
import { seedSource } from '../helpers/rows.js';

const EVENTS = 1_000;
const SECRET = 'fault-webhook-secret-0123456789';
const CHAT = { id: -1_009_000_000_002, type: 'supergroup', title: 'Барнаул — чат микрорайона' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * kill -9 of the whole app (HTTP, intake and workers in one process) in the middle of a burst of
 * 1,000 webhook updates, and a restart: what was acknowledged was committed; what was not, Telegram
 * sends again; what the dead worker held is taken again when its lease ends. Exactly 1,000 messages.
 */
describe('fault: the app killed (SIGKILL) mid-burst and restarted', () => {
  let testDb: TestDatabase;
  const bot = new BotApiFake();
  let dataDir: string;
  let port: number;
  let child: ChildProcess | null = null;

  const startApp = async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: testDb.url,
        DATA_DIR: dataDir,
        HTTP_PORT: String(port),
        API_TOKEN: TEST_API_TOKEN,
        LOG_LEVEL: 'warn',
        SANDBOX: 'false',
        TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
        TELEGRAM_API_ROOT: bot.apiRoot,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      await res.body?.cancel();
      return res.status === 200 ? true : undefined;
    }, 60_000);
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('fault_app_killed');
    dataDir = mkdtempSync(join(tmpdir(), 'mcu-fault-app-'));
    port = await freePort();
    await bot.start();
    await startApp();
    await seedSource(testDb.handle.db, {
      channel: 'telegram',
      external_id: String(CHAT.id),
      kind: 'city_chat',
      title: CHAT.title,
    });
  }, 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await bot.stop();
    await testDb.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the app is killed at update 400 and restarted, then exactly 1,000 messages, none twice', {
    timeout: 300_000,
  }, async () => {
    let killedAt = 0;
    const report = await burst({
      count: EVENTS,
      concurrency: 16,
      send: async (i) => {
        const res = await fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify(
            telegramMessageUpdate({
              updateId: 20_000 + i,
              messageId: 1 + i,
              chat: CHAT,
              from: { id: 8_000 + (i % 50), is_bot: false, first_name: 'Житель' },
              text: `kill-fault-${i} не убран снег во дворе дома ${i}`,
            }),
          ),
        });
        await res.body?.cancel();
        return res.status;
      },
      during: async (progress) => {
        await reached(progress, 400);
        killedAt = progress();
        child?.kill('SIGKILL');
        await new Promise((r) => child?.once('exit', r));
        await new Promise((r) => setTimeout(r, 1_000));
        await startApp();
      },
    });
    await waitFor(async () => ((await inboxBacklog(testDb.handle.db)).pending === 0 ? true : undefined), 120_000, 200);
    const rows = await sql<{ n: number; distinct: number }>`
      select count(*)::int as n, count(distinct external_id)::int as distinct from message where text like 'kill-fault-%'`.execute(
      testDb.handle.db,
    );
    const stored = rows.rows[0];
    console.info(
      `[fault] app SIGKILL at update ${killedAt} and restart: ${EVENTS} updates → acknowledged ${report.acknowledged}, unanswered or refused and re-sent ${report.retryable} (${report.rounds} rounds), wrong answers ${report.wrong.length}; messages stored ${stored?.n} (distinct ${stored?.distinct})`,
    );
    expect(report.wrong).toEqual([]);
    expect(stored).toEqual({ n: EVENTS, distinct: EVENTS });
  });
});
