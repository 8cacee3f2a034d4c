import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DomainConfig, domainConfigSchema, loadDomainConfig } from '../../config/domain.js';
import { type AppConfig, loadConfig } from '../../config/index.js';
import { inboxBacklog } from '../../models/inbox-repository.js';
import { App, type AppOptions } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';

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
    ...env,
  });
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  return { app: new App(config, domain, log, { pollTimeoutSeconds: 1, ...options }), config };
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
