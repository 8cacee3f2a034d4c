import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { makeApp, TEST_API_TOKEN, waitFor } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

describe('HTTP: health, metrics and the token-protected API', () => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let app: App;
  let base: string;

  beforeAll(async () => {
    testDb = await createTestDatabase('http');
    const target = new URL(testDb.url);
    proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.open();
    const url = new URL(testDb.url);
    url.port = String(proxy.port);
    ({ app } = makeApp({ DATABASE_URL: url.toString(), APP_ROLES: 'http,worker' }));
    await app.start();
    base = app.info.httpUrl as string;
  });
  afterAll(async () => {
    await app.stop();
    await proxy.cut();
    await testDb.drop();
  });

  it('when everything is up, then /health and /health/ready are 200 with every part ok, /health/live 200', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok', queue: 'ok', migrations: 'ok', warnings: [] });
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', db: 'ok', queue: 'ok', migrations: 'ok', warnings: [] });
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });

  it('when the database goes away, then /health is 503 naming it; when it returns, 200 again', async () => {
    await proxy.cut();
    const down = await fetch(`${base}/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: 'unavailable',
      db: 'down',
      queue: 'down',
      migrations: 'unknown',
      notReady: ['db', 'migrations', 'queue'],
      warnings: [],
    });
    expect((await fetch(`${base}/health/ready`)).status).toBe(503);
    // The process itself is fine: liveness does not ask the database.
    expect((await fetch(`${base}/health/live`)).status).toBe(200);

    await proxy.open();
    const body = await waitFor(async () => {
      const res = await fetch(`${base}/health`);
      return res.status === 200 ? res.json() : undefined;
    });
    expect(body).toEqual({ status: 'ok', db: 'ok', queue: 'ok', migrations: 'ok', warnings: [] });
  });

  it('when /api/ is called without or with a wrong token, then 401 JSON', async () => {
    const none = await fetch(`${base}/api/v1/status`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'missing or invalid bearer token' } });
    const wrong = await fetch(`${base}/api/v1/status`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('when the /api/ prefix is disguised with percent-escapes or slashes, then it still needs the token', async () => {
    for (const path of ['/%61pi/v1/status', '/api/v1/%73tatus', '/API/v1/status']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).not.toBe(200);
      expect([401, 404], path).toContain(res.status);
    }
    // The one that the router would really serve as /api/v1/status must be refused for lack of a token.
    expect((await fetch(`${base}/%61pi/v1/status`)).status).toBe(401);
    // Double encoding is not decoded twice by the router: it is simply not found.
    expect((await fetch(`${base}/%2561pi/v1/status`)).status).toBe(404);
  });

  it('when /api/v1/status is called with the token, then version, roles and uptime', async () => {
    const res = await fetch(`${base}/api/v1/status`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ version: '0.1.0', roles: ['http', 'worker'], sandbox: false });
    expect(typeof body.uptimeSeconds).toBe('number');
  });

  it('when /metrics is scraped, then process (standard names), HTTP, queue and business series are there', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).not.toContain('mcu_process_');
    expect(text).toMatch(/^mcu_cases_open\{department="roads-transport"\} 0$/m);
    expect(text).toMatch(/^mcu_inbox_pending \d+$/m);
    expect(text).toMatch(/^mcu_queue_lag_seconds\{queue="remind"\} [\d.]+$/m);
    expect(text).toMatch(/mcu_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/);
    expect(text).toMatch(/mcu_queue_depth\{queue="process-message"\} \d+/);
    expect(text).toMatch(/mcu_queue_depth\{queue="dead-letter"\} \d+/);
  });

  it('when a route does not exist, then 404 JSON with a code', async () => {
    const res = await fetch(`${base}/api/v1/nothing`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('HTTP: database unreachable at start', () => {
  it('when the database is not there yet, then /health is 503 until it appears, then 200', async () => {
    const testDb = await createTestDatabase('http_late');
    const target = new URL(testDb.url);
    const proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.open();
    const port = proxy.port;
    await proxy.cut();
    const url = new URL(testDb.url);
    url.port = String(port);
    const { app } = makeApp({ DATABASE_URL: url.toString(), APP_ROLES: 'http' });
    const starting = app.start();
    try {
      const base = await waitFor(() => app.info.httpUrl ?? undefined);
      const early = await waitFor(async () => {
        const res = await fetch(`${base}/health`);
        const body = (await res.json()) as { db: string };
        return body.db === 'down' ? { status: res.status, body } : undefined;
      });
      expect(early.status).toBe(503);
      await proxy.open(port);
      await starting;
      const res = await fetch(`${base}/health`);
      expect(res.status).toBe(200);
    } finally {
      await app.stop();
      await starting.catch(() => {});
      await proxy.cut();
      await testDb.drop();
    }
  });
});
