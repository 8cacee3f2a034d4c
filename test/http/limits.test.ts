import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_LIMIT_DEFAULTS } from '../../config/http-limits.js';
import { ManualClock } from '../../lib/clock.js';
import type { App } from '../../src/app.js';
import { createMetrics } from '../../src/http/metrics.js';
import { createRateLimits } from '../../src/http/rate-limits.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { MAX_WEBHOOK_SECRET, makeApp, startMaxApp, TEST_API_TOKEN } from '../helpers/app.js';
import { BotApiFake, FAKE_BOT_TOKEN } from '../helpers/bot-api-fake.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { MaxApiFake, maxUpdates } from '../helpers/max-fake.js';
import { telegramMessageUpdate, vkMessageNew } from '../helpers/payloads.js';
import { VkApiFake } from '../helpers/vk-fake.js';

/**
 * Rate limits, security headers and body limits through the real app (MAX by webhook, no worker:
 * stored updates stay in the inbox). Every request comes from 127.0.0.1, a trusted proxy by default,
 * so X-Forwarded-For names the client each test plays; a ManualClock moves the buckets.
 */
describe('HTTP limits and headers on the running app', () => {
  const clock = new ManualClock('2026-03-02T03:00:00Z');
  let testDb: TestDatabase;
  let app: App;
  let stop: () => Promise<void>;
  let base: string;

  const from = (ip: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': ip, ...headers });
  const webhook = (ip: string, body: unknown, secret: string | null) =>
    fetch(`${base}/max/webhook`, {
      method: 'POST',
      headers: from(ip, { 'content-type': 'application/json', ...(secret ? { 'x-max-bot-api-secret': secret } : {}) }),
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    ({ testDb, app, stop } = await startMaxApp({
      database: 'http_limits',
      env: {
        APP_ROLES: 'http,max',
        RATE_LIMIT_API: '2/s,5',
        RATE_LIMIT_AUTH_FAILURES: '1/s,5',
        RATE_LIMIT_LOGIN: '10/min,10',
      },
      options: { clock },
    }));
    base = app.info.httpUrl as string;
  }, 60_000);
  afterAll(() => stop?.());

  it('when the API token spends its burst, then 429 RATE_LIMITED with Retry-After, and the refill lets it through again', async () => {
    const status = () =>
      fetch(`${base}/api/v1/status`, { headers: from('198.51.100.10', { authorization: `Bearer ${TEST_API_TOKEN}` }) });
    for (let i = 0; i < 5; i++) expect((await status()).status).toBe(200);
    const refused = await status();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ error: { code: 'RATE_LIMITED', message: 'too many requests; retry after 1 s' } });
    // The bucket is the token's, not the address's: from elsewhere the same token is refused too.
    expect(
      (await fetch(`${base}/api/v1/status`, { headers: from('198.51.100.11', { authorization: `Bearer ${TEST_API_TOKEN}` }) }))
        .status,
    ).toBe(429);
    clock.advance(500);
    expect((await status()).status).toBe(200);
    expect((await status()).status).toBe(429);
    clock.advance(10_000);
  });

  it('when an address keeps sending wrong tokens, then after its burst it gets 429 before any lookup; other addresses do not', async () => {
    const wrong = (ip: string) =>
      fetch(`${base}/api/v1/cases`, { headers: from(ip, { authorization: 'Bearer mcu_not-a-token' }) });
    for (let i = 0; i < 5; i++) expect((await wrong('203.0.113.20')).status).toBe(401);
    const refused = await wrong('203.0.113.20');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await wrong('203.0.113.21')).status).toBe(401);
    // Honest callers never fail, so they are never charged: the right token from a clean address passes.
    const ok = await fetch(`${base}/api/v1/status`, {
      headers: from('203.0.113.22', { authorization: `Bearer ${TEST_API_TOKEN}` }),
    });
    expect(ok.status).toBe(200);
    // The service token is checked without a lookup: it passes even from the exhausted address.
    const service = await fetch(`${base}/api/v1/status`, {
      headers: from('203.0.113.20', { authorization: `Bearer ${TEST_API_TOKEN}` }),
    });
    expect(service.status).toBe(200);
    expect((await wrong('203.0.113.20')).status).toBe(429);
  });

  it('when an address opens ten dead login links in a minute, then the eleventh is a Russian 429 page with Retry-After', async () => {
    const link = (ip: string) => fetch(`${base}/console/login/not-a-real-token-${ip}`, { headers: from(ip) });
    for (let i = 0; i < 10; i++) expect((await link('192.0.2.30')).status).toBe(401);
    const refused = await link('192.0.2.30');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('6');
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await refused.text()).toContain('Слишком много попыток');
    // The POST that spends a link is the same bucket; another address still gets the ordinary page.
    const post = await fetch(`${base}/console/login/not-a-real-token`, { method: 'POST', headers: from('192.0.2.30') });
    expect(post.status).toBe(429);
    expect((await link('192.0.2.31')).status).toBe(401);
    clock.advance(6_000);
    expect((await link('192.0.2.30')).status).toBe(401);
  });

  it('when a platform sends 300 signed updates 40 at a time, then none is throttled, while unsigned junk from another address is', async () => {
    const platform = '149.154.167.50';
    const updates = Array.from({ length: 300 }, (_, i) =>
      maxUpdates.messageCreated({
        from: { userId: 7_700_000 + i, firstName: 'Житель' },
        chatId: 8_700_000 + i,
        text: `сообщение ${i}`,
      }),
    );
    const statuses: number[] = [];
    for (let i = 0; i < updates.length; i += 40)
      statuses.push(
        ...(await Promise.all(
          updates.slice(i, i + 40).map(async (u) => (await webhook(platform, u, MAX_WEBHOOK_SECRET)).status),
        )),
      );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const stored = await testDb.handle.db
      .selectFrom('inbox_event')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(300);

    const junk = '198.51.100.66';
    for (let i = 0; i < 5; i++) expect((await webhook(junk, '{"junk":true}', 'wrong-secret-0123456789')).status).toBe(401);
    const refused = await webhook(junk, '{"junk":true}', null);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await webhook(platform, updates[0], MAX_WEBHOOK_SECRET)).status).toBe(200);
  });

  it('when HTML pages are served (console, API docs, an error page), then each carries the security headers', async () => {
    const pages = [
      await fetch(`${base}/console/login`),
      await fetch(`${base}/console/assets/no-such-file.css`),
      await fetch(`${base}/api/v1/docs`, { headers: from('198.51.100.40', { authorization: `Bearer ${TEST_API_TOKEN}` }) }),
    ];
    expect(pages.map((p) => p.status)).toEqual([200, 404, 200]);
    for (const page of pages) {
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('referrer-policy')).toBe('same-origin');
      expect(page.headers.get('permissions-policy')).toContain('camera=()');
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(page.headers.get('strict-transport-security')).toBeNull();
    }
    // Each keeps its own policy: the console loads its own script, the docs none at all.
    expect(pages[0]?.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(pages[2]?.headers.get('content-security-policy')).toContain("default-src 'none'");
    // Behind the trusted proxy, a request that came over HTTPS gets HSTS.
    const https = await fetch(`${base}/console/login`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers.get('strict-transport-security')).toBe('max-age=15552000');
    // JSON gets nosniff only.
    const health = await fetch(`${base}/health/live`);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('content-security-policy')).toBeNull();
  });

  it('when a body is over its route limit, then 413 with a code (JSON for the API, the Russian page for the console), never 5xx', async () => {
    const big = JSON.stringify({ source: 'pos', externalId: '1', text: 'я'.repeat(150_000) });
    const api = await fetch(`${base}/api/v1/ingest`, {
      method: 'POST',
      headers: from('198.51.100.50', { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': 'application/json' }),
      body: big,
    });
    expect(api.status).toBe(413);
    expect(await api.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is over 256 KiB' } });
    const form = await fetch(`${base}/console/login/some-token`, {
      method: 'POST',
      headers: from('198.51.100.51', { 'content-type': 'application/x-www-form-urlencoded' }),
      body: `x=${'a'.repeat(300 * 1024)}`,
    });
    expect(form.status).toBe(413);
    expect(await form.text()).toContain('Слишком большой запрос');
    // A webhook takes up to 1 MiB (a platform's update is never refused for its size below that).
    const webhookBody = JSON.stringify({
      ...maxUpdates.messageCreated({ from: { userId: 1, firstName: 'А' }, chatId: 1, text: 'б' }),
      pad: 'x'.repeat(400_000),
    });
    expect((await webhook('149.154.167.51', webhookBody, MAX_WEBHOOK_SECRET)).status).toBe(200);
  });
});

describe('HTTP: which proxy is trusted', () => {
  const server = (trustProxy: string | boolean) =>
    createHttpServer({
      log: createLogger({ level: 'silent' }),
      metrics: createMetrics(async () => ({})),
      apiToken: TEST_API_TOKEN,
      health: async () => ({ db: 'ok', queue: 'ok' }),
      status: () => ({ version: 'test', roles: ['http'], uptimeSeconds: 0, sandbox: false }),
      trustProxy,
      rateLimits: createRateLimits(
        { api: null, authFailures: { perSecond: 1, burst: 2 }, login: null },
        new ManualClock('2026-03-02T03:00:00Z'),
      ),
    });

  it('when a client that is not a trusted proxy sends X-Forwarded-For, then its own address is counted, whatever it claims', async () => {
    const app = await server('loopback,linklocal,uniquelocal');
    const wrong = (claimed: string) =>
      app.inject({
        url: '/api/v1/status',
        remoteAddress: '203.0.113.99',
        headers: { authorization: 'Bearer wrong', 'x-forwarded-for': claimed, 'x-forwarded-proto': 'https' },
      });
    expect((await wrong('10.0.0.1')).statusCode).toBe(401);
    expect((await wrong('10.0.0.2')).statusCode).toBe(401);
    const third = await wrong('10.0.0.3');
    expect(third.statusCode).toBe(429);
    // Nor can it claim HTTPS: no HSTS over the plain connection it really used.
    expect(third.headers['strict-transport-security']).toBeUndefined();
    await app.close();
  });

  it('when TRUST_PROXY is the default, then a host in a private range cannot forge its address either', async () => {
    const app = await server(HTTP_LIMIT_DEFAULTS.TRUST_PROXY);
    const wrong = (claimed: string) =>
      app.inject({
        url: '/api/v1/status',
        remoteAddress: '10.1.2.3',
        headers: { authorization: 'Bearer wrong', 'x-forwarded-for': claimed },
      });
    expect((await wrong('149.154.167.50')).statusCode).toBe(401);
    expect((await wrong('149.154.167.51')).statusCode).toBe(401);
    expect((await wrong('149.154.167.52')).statusCode).toBe(429);
    await app.close();
  });

  it('when TRUST_PROXY names the balancer, then the address it forwards is the one counted', async () => {
    const app = await server('203.0.113.99');
    const wrong = (client: string) =>
      app.inject({
        url: '/api/v1/status',
        remoteAddress: '203.0.113.99',
        headers: { authorization: 'Bearer wrong', 'x-forwarded-for': client },
      });
    for (const client of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) expect((await wrong(client)).statusCode).toBe(401);
    await app.close();
  });
});

/**
 * The webhooks' secret comes before any failure bucket, and their failures have a bucket of their own:
 * whoever shares a platform's address (one untrusted proxy in front of everyone, a forged
 * X-Forwarded-For) cannot get its genuine updates refused. Telegram, VK (Callback API) and MAX (by
 * webhook) on one app, no worker: stored updates stay in the inbox.
 */
describe('HTTP limits: a platform’s webhooks and the addresses it shares', () => {
  const clock = new ManualClock('2026-03-02T03:00:00Z');
  const TG_SECRET = 'tg-webhook-secret-0123456789';
  const VK = { groupId: 219_000_777, secret: 'vk-callback-secret-0123' };
  const bot = new BotApiFake();
  const vk = new VkApiFake();
  const max = new MaxApiFake();
  let testDb: TestDatabase;
  let app: App;
  let base: string;
  let seq = 0;

  const post = (path: string, ip: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'x-forwarded-for': ip, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const telegram = (ip: string, secret: string | null) =>
    post('/telegram/webhook', ip, secret ? { 'x-telegram-bot-api-secret-token': secret } : {}, {
      ...telegramMessageUpdate({
        updateId: 90_000 + ++seq,
        chat: { id: 5_000 + seq, type: 'private' },
        from: { id: 5_000 + seq, is_bot: false, first_name: 'Житель' },
        text: `сообщение ${seq}`,
      }),
    });
  const maxHook = (ip: string, secret: string | null) =>
    post(
      '/max/webhook',
      ip,
      secret ? { 'x-max-bot-api-secret': secret } : {},
      maxUpdates.messageCreated({ from: { userId: 6_000 + ++seq, firstName: 'Житель' }, chatId: 6_000 + seq, text: `m ${seq}` }),
    );
  const vkHook = (ip: string, secret: string) =>
    post('/vk/callback', ip, {}, vkMessageNew({ groupId: VK.groupId, secret }, { from: 7_000 + ++seq, text: `v ${seq}` }));
  const badToken = (ip: string) =>
    fetch(`${base}/api/v1/cases`, { headers: { 'x-forwarded-for': ip, authorization: 'Bearer mcu_not-a-token' } });

  beforeAll(async () => {
    testDb = await createTestDatabase('http_limits_webhooks');
    await bot.start();
    await vk.start();
    await max.start();
    ({ app } = makeApp(
      {
        DATABASE_URL: testDb.url,
        TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
        TELEGRAM_API_ROOT: bot.apiRoot,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
        VK_GROUP_TOKEN: 'vk1.a.limits-token',
        VK_GROUP_ID: String(VK.groupId),
        VK_API_BASE_URL: vk.baseUrl,
        VK_MODE: 'callback',
        VK_CALLBACK_SECRET: VK.secret,
        VK_CONFIRMATION_CODE: 'limits123',
        MAX_BOT_TOKEN: max.token,
        MAX_API_BASE_URL: max.baseUrl,
        MAX_MODE: 'webhook',
        MAX_WEBHOOK_SECRET,
        APP_ROLES: 'http,telegram,vk,max',
        RATE_LIMIT_AUTH_FAILURES: '1/s,5',
      },
      { clock },
    ));
    await app.start();
    base = app.info.httpUrl as string;
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await Promise.all([bot.stop(), vk.stop(), max.stop()]);
    await testDb?.drop();
  });

  it('when an address spends its API failures on bad tokens, then the platforms’ signed webhooks from it still pass', async () => {
    const shared = '198.51.100.70';
    for (let i = 0; i < 5; i++) expect((await badToken(shared)).status).toBe(401);
    expect((await badToken(shared)).status).toBe(429);
    expect((await telegram(shared, TG_SECRET)).status).toBe(200);
    expect((await maxHook(shared, MAX_WEBHOOK_SECRET)).status).toBe(200);
    const signedVk = await vkHook(shared, VK.secret);
    expect([signedVk.status, await signedVk.text()]).toEqual([200, 'ok']);
    // The webhooks' failures are a bucket of their own: an unsigned update from there is judged, not pre-refused.
    expect((await telegram(shared, null)).status).toBe(401);
    clock.advance(60_000);
  });

  it('when unsigned webhooks flood from an address, then they get 429 while signed ones from it keep passing, and its API tokens are not charged', async () => {
    const flood = '198.51.100.71';
    for (let i = 0; i < 3; i++) expect((await telegram(flood, 'wrong-secret-0123456789')).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await maxHook(flood, null)).status).toBe(401);
    for (let i = 0; i < 20; i++) {
      expect((await telegram(flood, null)).status).toBe(429);
      expect((await maxHook(flood, 'wrong')).status).toBe(429);
      expect((await telegram(flood, TG_SECRET)).status).toBe(200);
      expect((await maxHook(flood, MAX_WEBHOOK_SECRET)).status).toBe(200);
    }
    const refused = await telegram(flood, null);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // A wrong API token from there is still only a 401: the webhooks' refusals are not the API's.
    expect((await badToken(flood)).status).toBe(401);
    clock.advance(60_000);
  });

  it('when VK events with a wrong secret flood from an address, then they get 429, while the right secret is never refused', async () => {
    const flood = '198.51.100.72';
    for (let i = 0; i < 5; i++) expect((await vkHook(flood, 'wrong-vk-secret')).status).toBe(403);
    for (let i = 0; i < 10; i++) {
      expect((await vkHook(flood, 'wrong-vk-secret')).status).toBe(429);
      const signed = await vkHook(flood, VK.secret);
      expect([signed.status, await signed.text()]).toEqual([200, 'ok']);
    }
    // Nothing unsigned was stored: the inbox holds exactly the signed events of this file.
    const stored = await testDb.handle.db
      .selectFrom('inbox_event')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(3 + 40 + 10);
  });
});
