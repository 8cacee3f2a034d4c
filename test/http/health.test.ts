import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/http/metrics.js';
import type { HealthReport } from '../../src/http/routes/health.js';
import { createHttpServer, type HttpDeps } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';

/** The health routes on a server whose parts are stubs: a database that is down is one line of a stub. */
function server(report: HealthReport, over: Partial<HttpDeps> = {}) {
  return createHttpServer({
    log: createLogger({ level: 'silent' }),
    metrics: createMetrics(async () => ({})),
    apiToken: 'health-test-token-0123456789',
    health: async () => report,
    status: () => ({ version: 'test', roles: ['http'], uptimeSeconds: 0, sandbox: false }),
    ...over,
  });
}

const UP: HealthReport = { db: 'ok', queue: 'ok', migrations: 'ok' };

describe('GET /health/live and /health/ready', () => {
  it('when every part is up, then ready is 200 with the parts and the warnings, and /health says the same', async () => {
    const app = await server(UP, { readinessWarnings: () => ['production calendar: 2027 is missing'] });
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', ...UP, warnings: ['production calendar: 2027 is missing'] });
    expect((await app.inject('/health')).json()).toEqual(ready.json());
    await app.close();
  });

  it('when the database is down, then ready is 503 naming it, while live stays 200 without asking the database', async () => {
    let asked = 0;
    const app = await server(UP, {
      health: async () => {
        asked++;
        return { db: 'down', queue: 'down', migrations: 'unknown' };
      },
    });
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({
      status: 'unavailable',
      db: 'down',
      queue: 'down',
      migrations: 'unknown',
      notReady: ['db', 'migrations', 'queue'],
      warnings: [],
    });
    asked = 0;
    const live = await app.inject('/health/live');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    expect(asked).toBe(0);
    await app.close();
  });

  it('when migrations are pending or the queue is starting, then ready is 503 naming just that', async () => {
    const app = await server({ db: 'ok', queue: 'starting', migrations: 'pending' });
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ notReady: ['migrations', 'queue'] });
    await app.close();
  });

  it('when the process is stopping, then live is 503', async () => {
    const app = await server(UP, { live: () => false });
    const live = await app.inject('/health/live');
    expect(live.statusCode).toBe(503);
    expect(live.json()).toEqual({ status: 'stopping' });
    await app.close();
  });

  it('when the warnings check itself fails, then ready stays 200 and says the warnings could not be checked', async () => {
    const app = await server(UP, {
      readinessWarnings: async () => {
        throw new Error('calendar file unreadable');
      },
    });
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ warnings: ['readiness warnings could not be checked'] });
    await app.close();
  });
});
