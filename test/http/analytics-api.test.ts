import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { apiCall, makeApp, TEST_API_TOKEN } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedCase } from '../helpers/rows.js';

describe('API: ratings, heat map and problems — access and bad input', () => {
  let testDb: TestDatabase;
  let app: App;
  let headToken = '';
  const call = (path: string, token = TEST_API_TOKEN) => apiCall(app, 'GET', path, undefined, token);
  const period = 'from=2026-11-02T00:00:00%2B07:00&to=2026-11-16T00:00:00%2B07:00';

  beforeAll(async () => {
    testDb = await createTestDatabase('analytics_api', { migrate: true });
    ({ app } = makeApp({ DATABASE_URL: testDb.url, APP_ROLES: 'http,worker' }));
    await app.start();
    const invite = await apiCall(
      app,
      'POST',
      '/api/v1/officials/invites',
      { name: 'head', department: 'roads-transport', role: 'department_head' },
      TEST_API_TOKEN,
    );
    const issued = await apiCall(
      app,
      'POST',
      `/api/v1/officials/${Number(invite.body.officialId)}/api-tokens`,
      undefined,
      TEST_API_TOKEN,
    );
    headToken = String(issued.body.token);
    for (const department of ['roads-transport', 'education'])
      await seedCase(testDb.handle.db, {
        department,
        district: 'central',
        category: 'roads',
        at: new Date('2026-11-03T03:00:00Z'),
      });
  });
  afterAll(async () => {
    await app.stop();
    await testDb.drop();
  });

  it('when МЦУ staff ask for the ratings, then every department with cases is listed', async () => {
    const r = await call(`/api/v1/analytics/ratings?${period}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ minCases: 5, ranked: [] });
    expect((r.body.unranked as { department: string }[]).map((d) => d.department).sort()).toEqual([
      'education',
      'roads-transport',
    ]);
  });

  it("when a department head asks, then only their department's row; another department is 403", async () => {
    const own = await call(`/api/v1/analytics/ratings?${period}`, headToken);
    expect((own.body.unranked as { department: string }[]).map((d) => d.department)).toEqual(['roads-transport']);
    expect((await call(`/api/v1/analytics/ratings?${period}&department=education`, headToken)).status).toBe(403);
    expect((await call(`/api/v1/analytics/heatmap?${period}`, headToken)).status).toBe(403);
    expect((await call('/api/v1/problems', headToken)).status).toBe(403);
  });

  it('when the heat map and the problems are asked for, then they answer 200', async () => {
    const map = await call(`/api/v1/analytics/heatmap?${period}&metric=per10k&boundaries=true`);
    expect(map.status).toBe(200);
    expect(map.body).toMatchObject({
      metric: 'per10k',
      cells: [{ district: 'central', category: 'roads', cases: 2 }],
      boundaries: null,
    });
    expect((await call('/api/v1/problems?sort=growth&window=7&status=recurring')).body).toEqual({ items: [] });
  });

  it.each([
    ['from after to', '/api/v1/analytics/ratings?from=2026-11-16&to=2026-11-02', 'INVALID_FROM'],
    ['from equal to to', '/api/v1/analytics/heatmap?from=2026-11-02&to=2026-11-02', 'INVALID_FROM'],
    ['a period over 3 years', '/api/v1/analytics/ratings?from=2020-01-01&to=2023-01-02', 'INVALID_PERIOD'],
    ['a heat map over 3 years', '/api/v1/analytics/heatmap?from=2020-01-01&to=2023-06-01', 'INVALID_PERIOD'],
    ['an unknown department', `/api/v1/analytics/ratings?${period}&department=no-such-department`, 'UNKNOWN_DEPARTMENT'],
    ['an unknown metric', `/api/v1/analytics/heatmap?${period}&metric=density`, 'INVALID_METRIC'],
    ['no from', '/api/v1/analytics/ratings?to=2026-11-02', 'VALIDATION_FAILED'],
    ['a date that is not one', '/api/v1/analytics/heatmap?from=2026-13-45&to=2026-11-02', 'VALIDATION_FAILED'],
    ['an unknown problem status', '/api/v1/problems?status=closed', 'VALIDATION_FAILED'],
    ['an unknown sort', '/api/v1/problems?sort=alphabet', 'VALIDATION_FAILED'],
    ['a window of 0 days', '/api/v1/problems?window=0', 'VALIDATION_FAILED'],
    ['an unknown category', '/api/v1/problems?category=no-such', 'UNKNOWN_CATEGORY'],
    ['an unknown district', '/api/v1/problems?district=no-such', 'UNKNOWN_DISTRICT'],
    ['recommendations from after to', '/api/v1/analytics/recommendations?from=2026-11-16&to=2026-11-02', 'INVALID_FROM'],
    ['recommendations over 3 years', '/api/v1/analytics/recommendations?from=2020-01-01&to=2023-01-02', 'INVALID_PERIOD'],
  ])('when the request has %s, then 400 %s', async (_what, path, code) => {
    const r = await call(path);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code } });
  });

  it('when recommendations are asked for and decided on, then roles, bad decisions and unknown ids are refused', async () => {
    const list = await call(`/api/v1/analytics/recommendations?${period}`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ items: [] });
    expect((await call(`/api/v1/analytics/recommendations?${period}`, headToken)).status).toBe(200);
    const decide = (id: string, body: unknown, token = TEST_API_TOKEN) =>
      apiCall(app, 'POST', `/api/v1/analytics/recommendations/${id}/decision`, body, token);
    const id = 'held-share-growth.roads-transport.20261101T170000Z.20261115T170000Z';
    expect((await decide(id, { decision: 'maybe' })).body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await decide(id, { decision: 'dismissed' })).body).toMatchObject({ error: { code: 'COMMENT_REQUIRED' } });
    const unknown = await decide(id, { decision: 'accepted', comment: 'ok' });
    expect(unknown.status).toBe(404);
    expect((await decide(id, { decision: 'accepted' }, headToken)).status).toBe(403);
  });

  it('when the error names a field, then the message starts with it', async () => {
    const message = async (path: string) => String(((await call(path)).body.error as { message?: unknown } | undefined)?.message);
    expect(await message(`/api/v1/analytics/heatmap?${period}&metric=density`)).toMatch(/^metric: /);
    expect(await message('/api/v1/analytics/ratings?from=2026-11-16&to=2026-11-02')).toMatch(/^from /);
    expect(await message(`/api/v1/analytics/ratings?${period}&department=x`)).toMatch(/^department: /);
  });
});
