import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DomainConfig, domainConfigSchema, loadDomainConfig } from '../../config/domain.js';
import { type AppConfig, loadConfig } from '../../config/index.js';
import { inboxBacklog } from '../../models/inbox-repository.js';
import { App, type AppOptions } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { startTelegramEmulator, type TelegramEmulator } from '../../src/sandbox/telegram-emulator.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { MaxApiFake } from './max-fake.js';
import { VkApiFake } from './vk-fake.js';

export const TEST_API_TOKEN = 'test-api-token-0123456789';

/** An App on a random port with test-friendly settings; `env` overrides any variable; `domain` is testDomain() unless given. */
export function makeApp(
  env: Record<string, string>,
  options: AppOptions = {},
  domain: DomainConfig = testDomain(),
): { app: App; config: AppConfig } {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'mcu-app-')),
    HTTP_PORT: '0',
    API_TOKEN: TEST_API_TOKEN,
    LOG_LEVEL: 'silent',
    SANDBOX: 'false',
    // Tests fire hundreds of requests and refused tokens from one address in seconds; the limits are
    // tested where they are the subject (test/http/limits.test.ts), with their values set there.
    RATE_LIMIT_API: 'off',
    RATE_LIMIT_AUTH_FAILURES: 'off',
    RATE_LIMIT_LOGIN: 'off',
    ...env,
  });
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  return { app: new App(config, domain, log, { pollTimeoutSeconds: 1, ...options }), config };
}

export interface TestAppSetup {
  /** A prefix for a fresh database, dropped by stop(); or a database the test made itself (and drops itself). */
  database: string | TestDatabase;
  /** Variables over the ones the helper sets (DATABASE_URL, the bot's, APP_ROLES). */
  env?: Record<string, string>;
  options?: AppOptions;
  domain?: DomainConfig;
}

/** A started app, what it runs against, and stop(), which stops them all in reverse order. */
export interface TestApp {
  app: App;
  config: AppConfig;
  testDb: TestDatabase;
  stop(): Promise<void>;
}

/**
 * The app with its Telegram bot on the Bot API emulator (telegram-test-api, real bot code, polling unless
 * `env` says otherwise), on a test database; roles http, telegram and worker unless `env` says otherwise.
 */
export async function startTelegramApp(setup: TestAppSetup): Promise<TestApp & { emulator: TelegramEmulator }> {
  return startTestApp(setup, async (started) => {
    const emulator = await startTelegramEmulator();
    started.push(() => emulator.stop());
    return {
      extra: { emulator },
      env: { TELEGRAM_BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot, APP_ROLES: 'http,telegram,worker' },
    };
  });
}

/** A VK community as the app's VK bot is configured for it in Callback API mode. */
export interface VkCallbackCommunity {
  groupId: number;
  secret: string;
  confirmationCode: string;
}

/**
 * The app with its VK bot in Callback API mode (POST /vk/callback) against a local VkApiFake, on a test
 * database; roles http, vk and worker unless `env` says otherwise.
 */
export async function startVkApp(setup: TestAppSetup & { vk: VkCallbackCommunity }): Promise<TestApp & { vk: VkApiFake }> {
  return startTestApp(setup, async (started) => {
    const vk = new VkApiFake();
    await vk.start();
    started.push(() => vk.stop());
    return {
      extra: { vk },
      env: {
        VK_GROUP_TOKEN: 'vk1.a.community-token',
        VK_GROUP_ID: String(setup.vk.groupId),
        VK_API_BASE_URL: vk.baseUrl,
        VK_MODE: 'callback',
        VK_CALLBACK_SECRET: setup.vk.secret,
        VK_CONFIRMATION_CODE: setup.vk.confirmationCode,
        APP_ROLES: 'http,vk,worker',
      },
    };
  });
}

/** The MAX webhook secret of startMaxApp's webhook mode. */
export const MAX_WEBHOOK_SECRET = 'max-webhook-secret-0123456789';

/**
 * The app with its MAX bot against a local MaxApiFake, on a test database: by webhook (POST /max/webhook,
 * secret MAX_WEBHOOK_SECRET) unless `mode` is polling; roles http, max and worker unless `env` says otherwise.
 */
export async function startMaxApp(
  setup: TestAppSetup & { mode?: 'webhook' | 'polling'; prepare?: (max: MaxApiFake) => void },
): Promise<TestApp & { max: MaxApiFake }> {
  return startTestApp(setup, async (started) => {
    const max = new MaxApiFake();
    await max.start();
    started.push(() => max.stop());
    setup.prepare?.(max);
    return {
      extra: { max },
      env: {
        MAX_BOT_TOKEN: max.token,
        MAX_API_BASE_URL: max.baseUrl,
        MAX_MODE: setup.mode ?? 'webhook',
        ...(setup.mode === 'polling' ? {} : { MAX_WEBHOOK_SECRET }),
        APP_ROLES: 'http,max,worker',
      },
    };
  });
}

/**
 * The app with both messengers officials work in: its Telegram bot on the Bot API emulator (polling) and its
 * MAX bot against a local MaxApiFake (by webhook, secret MAX_WEBHOOK_SECRET), on a test database; roles
 * http, telegram, max and worker unless `env` says otherwise. No operators' chat is set: `env` chooses
 * (TELEGRAM_OPERATORS_CHAT_ID wins over MAX_OPERATORS_CHAT_ID, as in production).
 */
export async function startTelegramMaxApp(
  setup: TestAppSetup,
): Promise<TestApp & { emulator: TelegramEmulator; max: MaxApiFake }> {
  return startTestApp(setup, async (started) => {
    const emulator = await startTelegramEmulator();
    started.push(() => emulator.stop());
    const max = new MaxApiFake();
    await max.start();
    started.push(() => max.stop());
    return {
      extra: { emulator, max },
      env: {
        TELEGRAM_BOT_TOKEN: emulator.token,
        TELEGRAM_API_ROOT: emulator.apiRoot,
        MAX_BOT_TOKEN: max.token,
        MAX_API_BASE_URL: max.baseUrl,
        MAX_MODE: 'webhook',
        MAX_WEBHOOK_SECRET,
        APP_ROLES: 'http,telegram,max,worker',
      },
    };
  });
}

/** Starts the database, the platform fake and the app in order; if one fails, stops what had started. */
async function startTestApp<E>(
  setup: TestAppSetup,
  platform: (started: (() => Promise<void>)[]) => Promise<{ extra: E; env: Record<string, string> }>,
): Promise<TestApp & E> {
  const started: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of started.splice(0).reverse()) await step();
  };
  try {
    const testDb = typeof setup.database === 'string' ? await createTestDatabase(setup.database) : setup.database;
    if (typeof setup.database === 'string') started.push(() => testDb.drop());
    const { extra, env } = await platform(started);
    const { app, config } = makeApp({ DATABASE_URL: testDb.url, ...env, ...setup.env }, setup.options, setup.domain);
    started.push(() => app.stop());
    await app.start();
    return { app, config, testDb, stop, ...extra };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Barnaul's domain file with the quiet hours off (start = end), as the sandbox drill does: the app
 * runs on the real clock, and a card or reminder due at 23:00 Barnaul time would otherwise wait for
 * the morning and fail a test that runs in the evening. Quiet hours themselves are tested with a
 * ManualClock (test/handlers/reminders.test.ts, digest.test.ts).
 */
export function testDomain(): DomainConfig {
  const domain = loadDomainConfig('config/barnaul.yaml');
  return domainConfigSchema.parse({ ...domain, sla: { ...domain.sla, quietHours: { start: '00:00', end: '00:00' } } });
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  stepMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/** A JSON call to a running app's API with a bearer token (the service token unless another is given). */
export async function apiCall(
  app: App,
  method: string,
  path: string,
  body?: unknown,
  token: string = TEST_API_TOKEN,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${app.info.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Waits until the app's inbox has decided every stored event (acknowledged ≠ decided: tests that read results wait). */
export async function inboxSettled(app: App, timeoutMs = 15_000): Promise<void> {
  await waitFor(
    async () => {
      const db = app.database?.db;
      if (!db) return undefined;
      const { pending } = await inboxBacklog(db);
      return pending === 0 ? true : undefined;
    },
    timeoutMs,
    20,
  );
}
