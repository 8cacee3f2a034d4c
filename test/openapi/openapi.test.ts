import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsApi } from '../../handlers/analytics/index.js';
import type { BroadcastsApi } from '../../handlers/broadcasts/index.js';
import type { IngestApi } from '../../handlers/ingest/index.js';
import type { PagesApi } from '../../handlers/pages/index.js';
import { createMetrics } from '../../src/http/metrics.js';
import { openApiDocument, toOpenApiSchema } from '../../src/http/openapi/document.js';
import { ENDPOINTS } from '../../src/http/openapi/endpoints.js';
import { analyticsRoutes } from '../../src/http/routes/analytics.js';
import { analyticsExportRoutes } from '../../src/http/routes/analytics-exports.js';
import { answerRoutes } from '../../src/http/routes/answers.js';
import { broadcastRoutes } from '../../src/http/routes/broadcasts.js';
import { caseActionRoutes } from '../../src/http/routes/case-actions.js';
import { caseRoutes, casesQuery } from '../../src/http/routes/cases.js';
import { citizenRoutes } from '../../src/http/routes/citizens.js';
import { deadLetterRoutes } from '../../src/http/routes/dead-letters.js';
import { exportRoutes } from '../../src/http/routes/exports.js';
import { ingestRoutes } from '../../src/http/routes/ingest.js';
import { maxWebhookRoute } from '../../src/http/routes/max-webhook.js';
import { openApiRoutes } from '../../src/http/routes/openapi.js';
import { pageRoutes } from '../../src/http/routes/pages.js';
import { peopleRoutes } from '../../src/http/routes/people.js';
import { statusChangeBody, structuringRoutes } from '../../src/http/routes/structuring.js';
import { telegramWebhookRoute } from '../../src/http/routes/telegram-webhook.js';
import { vkCallbackRoute } from '../../src/http/routes/vk-callback.js';
import { createHttpServer, type HttpPlugin } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';

/**
 * The OpenAPI document (src/http/openapi/) against the routes Fastify really registers: an app built
 * from every route factory src/compose/ registers (deps that are never called: only the routing is
 * looked at), no database, no socket (`inject`).
 */

const TOKEN = 'openapi-test-token-0123456789';

/** Registered routes that the document may leave out, each with why. Keep it empty if at all possible. */
const KNOWN_UNDOCUMENTED: readonly string[] = [];

const unused = (): never => {
  throw new Error('not called by this test');
};

/** The route factories below, by the name src/compose/ calls them with. */
const PLUGINS: Record<string, HttpPlugin> = {
  caseRoutes: caseRoutes(unused),
  exportRoutes: exportRoutes(unused),
  structuringRoutes: structuringRoutes(unused),
  peopleRoutes: peopleRoutes(unused),
  answerRoutes: answerRoutes(unused),
  caseActionRoutes: caseActionRoutes(unused),
  deadLetterRoutes: deadLetterRoutes(unused),
  citizenRoutes: citizenRoutes({ query: unused, actions: unused }),
  analyticsRoutes: analyticsRoutes({} as AnalyticsApi),
  analyticsExportRoutes: analyticsExportRoutes({} as AnalyticsApi, unused),
  ingestRoutes: ingestRoutes({} as IngestApi),
  broadcastRoutes: broadcastRoutes({} as BroadcastsApi, unused),
  pageRoutes: pageRoutes({} as PagesApi, unused),
  openApiRoutes: openApiRoutes('0.0.0-test'),
  telegramWebhookRoute: telegramWebhookRoute({ secret: 's', check: unused, accept: unused }),
  vkCallbackRoute: vkCallbackRoute({ groupId: 1, secret: 's', confirmationCode: 'c', check: unused, accept: unused }),
  maxWebhookRoute: maxWebhookRoute({ secret: 's', check: unused, accept: unused }),
};

/**
 * Every route of the app as `METHOD /path`, read from Fastify's own route tree (`printRoutes`): each
 * line is a segment under its parent, with its methods in parentheses. HEAD routes are Fastify's
 * automatic twins of the GET ones.
 */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(m[2] ?? '');
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) routes.push(`${method} ${stack.join('')}`);
  }
  return routes.sort();
}

describe('OpenAPI: the document describes exactly the routes the app registers', () => {
  let app: FastifyInstance;
  let registered: string[];
  const documented = ENDPOINTS.map((e) => `${e.method} ${e.path}`).sort();

  beforeAll(async () => {
    app = await createHttpServer(
      {
        log: createLogger({ level: 'silent' }),
        metrics: createMetrics(async () => ({})),
        apiToken: TOKEN,
        health: async () => ({ db: 'ok', queue: 'ok' }),
        status: () => ({ version: '0.0.0-test', roles: ['http'], uptimeSeconds: 0, sandbox: false }),
      },
      Object.values(PLUGINS),
    );
    await app.ready();
    registered = registeredRoutes(app);
  });
  afterAll(async () => app?.close());

  it('when src/compose/ registers route factories, then this test builds its app from the same ones', () => {
    const dir = 'src/compose';
    const called = new Set(
      readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/\b(\w+Routes?)\(/g)].map((m) => m[1] as string))
        // The console's HTML pages (src/console/) are not the JSON API the document describes.
        .filter((name) => name !== 'consoleRoutes'),
    );
    expect([...called].sort()).toEqual(Object.keys(PLUGINS).sort());
  });

  it('when the route tree is read, then every route found exists (the reading is right) and there are many', () => {
    expect(registered.length).toBeGreaterThan(40);
    for (const route of registered) {
      const [method, url] = route.split(' ') as [string, string];
      expect(app.hasRoute({ method: method as 'GET', url }), route).toBe(true);
    }
  });

  it('when a route is registered, then the document describes it (add one line to src/http/openapi/endpoints.ts)', () => {
    expect(registered.filter((r) => !documented.includes(r) && !KNOWN_UNDOCUMENTED.includes(r))).toEqual([]);
  });

  it('when a route is documented, then the app registers it', () => {
    expect(documented.filter((r) => !registered.includes(r))).toEqual([]);
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('when the document is built, then it is OpenAPI 3.0 with a bearer scheme and every operation has answers', () => {
    const doc = openApiDocument('1.2.3');
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(doc.info.version).toBe('1.2.3');
    expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.components.schemas.Error).toMatchObject({
      type: 'object',
      required: ['error'],
      properties: { error: { required: ['code', 'message'] } },
    });
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations).toHaveLength(ENDPOINTS.length);
    const ids = new Set<string>();
    for (const { path, method, op } of operations) {
      const name = `${method} ${path}`;
      expect(op, name).toBeDefined();
      if (!op) continue;
      expect(op.summary, name).not.toBe('');
      expect(Object.keys(op.responses).length, name).toBeGreaterThan(0);
      expect(
        Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)),
        name,
      ).toBe(true);
      for (const r of Object.values(op.responses)) expect(r.description, name).not.toBe('');
      expect(ids.has(op.operationId), name).toBe(false);
      ids.add(op.operationId);
      // Every {name} in the path is a required path parameter, and nothing else is.
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect(pathParams.map((p) => p.name).sort(), name).toEqual(inPath.sort());
      expect(
        pathParams.every((p) => p.required),
        name,
      ).toBe(true);
      if (path.startsWith('/api/')) {
        expect(op.security, name).toEqual([{ bearer: [] }]);
        expect(op.responses['401'], name).toBeDefined();
      } else {
        expect(op.security, name).toEqual([]);
      }
      if (op.parameters?.length || op.requestBody) expect(op.responses['400'], name).toBeDefined();
    }
    // Nothing that a client cannot send in JSON slipped through as a `$schema` or a zod-only construct.
    expect(JSON.stringify(doc)).not.toMatch(/"\$schema"|"~standard"/);
  });

  it('when a query schema is converted, then its optional fields, enums and defaults are as the route reads them', () => {
    const json = toOpenApiSchema(casesQuery);
    expect(json.type).toBe('object');
    expect(json.additionalProperties).toBe(false);
    expect(json.required ?? []).toEqual([]);
    expect(json.properties.priority).toEqual({ type: 'string', enum: ['urgent', 'normal'] });
    expect(json.properties.limit).toMatchObject({ type: 'string', default: '50' });
    expect(json.properties.from.description).toMatch(/ISO 8601/);
    const params = openApiDocument('x').paths['/api/v1/cases']?.get?.parameters ?? [];
    expect(params.map((p) => p.name)).toEqual(Object.keys(casesQuery.shape));
    expect(params.every((p) => p.in === 'query' && !p.required)).toBe(true);
  });

  it('when a body schema is converted, then its required fields and enums are there', () => {
    const json = toOpenApiSchema(statusChangeBody);
    expect(json.required).toEqual(['to']);
    expect(json.properties.to.enum).toContain('in_progress');
    expect(json.properties.comment).toMatchObject({ type: 'string', maxLength: 2000 });
    const op = openApiDocument('x').paths['/api/v1/cases/{id}/status']?.post;
    expect(op?.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { required: ['to'] } } } });
    const answer = openApiDocument('x').paths['/api/v1/cases/{id}/answers']?.post?.requestBody?.content['application/json'];
    expect(answer?.schema.required).toEqual(['text', 'kind']);
    expect(answer?.schema.properties.kind.enum).toEqual(['interim', 'final']);
  });

  it('when GET /api/v1/openapi.json has no or a wrong token, then 401; with the token, the document', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).statusCode).toBe(401);
    const wrong = await app.inject({ method: 'GET', url: '/api/v1/docs', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.json();
    expect(doc.info.version).toBe('0.0.0-test');
    expect(Object.keys(doc.paths)).toContain('/api/v1/cases/{id}');
  });

  it('when GET /api/v1/docs has the token, then one HTML page lists every endpoint, with no script or external resource', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/docs', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    const html = res.body;
    for (const e of ENDPOINTS) {
      expect(html, e.path).toContain(`<code>${e.path.replace(/:(\w+)/g, '{$1}')}</code>`);
      expect(html, e.path).toContain(e.summary.replace(/&/g, '&amp;').replace(/"/g, '&quot;'));
    }
    expect(html).toContain('<code>limit</code>');
    expect(html).not.toMatch(/<script|<link|\bsrc=|https?:\/\//i);
  });
});
