import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PagesApi } from '../../handlers/pages/index.js';
import { issueApiToken } from '../../handlers/people/index.js';
import type { App } from '../../src/app.js';
import { createMetrics } from '../../src/http/metrics.js';
import { pageRoutes } from '../../src/http/routes/pages.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { makeApp, TEST_API_TOKEN } from '../helpers/app.js';
import { local } from '../helpers/barnaul-calendar.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedOfficial } from '../helpers/rows.js';

/** The registry of official pages through the running app's API: the service token and people's tokens. */
describe('/api/v1/pages', () => {
  let testDb: TestDatabase;
  let app: App;
  let headToken = '';
  let officialToken = '';
  const call = async (method: string, path: string, body?: unknown, token = TEST_API_TOKEN) => {
    const res = await fetch(`${app.info.httpUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const json = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : null;
    return { status: res.status, body: json, bytes, headers: res.headers };
  };
  const page = (over: Record<string, unknown> = {}) => ({
    link: 'https://vk.com/roads_barnaul',
    ownerDepartment: 'roads-transport',
    ...over,
  });

  beforeAll(async () => {
    testDb = await createTestDatabase('pages_api', { migrate: true });
    ({ app } = makeApp({ DATABASE_URL: testDb.url, APP_ROLES: 'http' }));
    await app.start();
    const clock = { now: () => new Date() };
    const db = testDb.handle.db;
    const token = async (role: string, department: string) => {
      const person = await seedOfficial(db, { role, department });
      const issued = await issueApiToken({ db, clock }, { officialId: person.id, actor: { type: 'cli' } });
      if (issued.status !== 'issued') throw new Error('no token');
      return issued.token;
    };
    headToken = await token('department_head', 'housing-utilities');
    officialToken = await token('official', 'roads-transport');
  });
  afterAll(async () => {
    await app?.stop();
    await testDb?.drop();
  });

  it('when a page is registered, then 201 with its parsed link; again in another form, 400 naming the page', async () => {
    const created = await call('POST', '/pages', page({ title: 'Дороги Барнаула', responsibleName: 'Петров П. П.' }));
    expect(created).toMatchObject({
      status: 201,
      body: { platform: 'vk', externalId: 'roads_barnaul', url: 'https://vk.com/roads_barnaul', status: 'active', latest: null },
    });
    const again = await call('POST', '/pages', page({ link: 'https://m.vk.com/Roads_Barnaul/' }));
    expect(again).toMatchObject({ status: 400, body: { error: { code: 'PAGE_EXISTS' } } });
    expect(again.body.error.message).toBe(`vk roads_barnaul is registered already as page ${created.body.id}`);
  });

  it('when the link, the department or the official is wrong, then 400 naming the problem', async () => {
    const link = await call('POST', '/pages', page({ link: 'https://ok.ru/barnaul' }));
    expect(link).toMatchObject({ status: 400, body: { error: { code: 'INVALID_LINK' } } });
    expect(link.body.error.message).toMatch(/^link: "https:\/\/ok\.ru\/barnaul" is not a VK, Telegram or MAX page/);
    const department = await call('POST', '/pages', page({ link: '@roads_tg', ownerDepartment: 'atlantis' }));
    expect(department).toMatchObject({ status: 400, body: { error: { code: 'UNKNOWN_DEPARTMENT' } } });
    expect(department.body.error.message).toMatch(/^ownerDepartment: unknown department "atlantis"/);
    expect(await call('POST', '/pages', page({ link: '@roads_tg', responsibleOfficialId: 424242 }))).toMatchObject({
      status: 400,
      body: { error: { code: 'UNKNOWN_OFFICIAL', message: 'responsibleOfficialId: unknown official 424242' } },
    });
    expect(await call('POST', '/pages', page({ link: '' }))).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
    expect(await call('POST', '/pages', page({ status: 'deleted' }))).toMatchObject({ status: 400 });
    expect(await call('GET', '/pages/999999')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect(await call('GET', '/pages?owner=atlantis')).toMatchObject({
      status: 400,
      body: { error: { code: 'UNKNOWN_DEPARTMENT' } },
    });
    expect(await call('DELETE', '/pages/1')).toMatchObject({ status: 404 });
  });

  it('when pages are listed, then each has its latest score and figures; filters and the cursor work', async () => {
    const db = testDb.handle.db;
    const tg = await call('POST', '/pages', page({ link: 'https://t.me/roads_tg', organisation: 'МБУ «Автодорстрой»' }));
    await call(
      'POST',
      '/pages',
      page({ link: 'https://max.ru/housing_barnaul', ownerDepartment: 'housing-utilities', status: 'planned' }),
    );
    await db
      .insertInto('page_snapshot')
      .values([
        { page_id: tg.body.id, taken_at: local('2026-11-29 09:00'), readable: true, figures: '{"postsPerWeek":1}', score: '40' },
        {
          page_id: tg.body.id,
          taken_at: local('2026-11-30 09:00'),
          readable: true,
          figures: '{"postsPerWeek":3}',
          score: '66.67',
        },
      ])
      .execute();
    const list = await call('GET', '/pages?platform=telegram');
    expect(list).toMatchObject({ status: 200, body: { nextCursor: null } });
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: tg.body.id,
        externalId: '@roads_tg',
        organisation: 'МБУ «Автодорстрой»',
        latest: {
          takenAt: local('2026-11-30 09:00').toISOString(),
          readable: true,
          reason: null,
          score: 66.67,
          figures: { postsPerWeek: 3 },
        },
      }),
    ]);
    const first = await call('GET', '/pages?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toBe(String(first.body.items[1].id));
    const rest = await call('GET', `/pages?limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body).toMatchObject({
      items: [expect.objectContaining({ platform: 'max', status: 'planned' })],
      nextCursor: null,
    });
    expect((await call('GET', '/pages?owner=roads-transport&status=active')).body.items).toHaveLength(2);
    expect(await call('GET', `/pages/${tg.body.id}`)).toMatchObject({
      status: 200,
      body: { snapshots: [expect.objectContaining({ score: 66.67 }), expect.objectContaining({ score: 40 })] },
    });
  });

  it('when a page is closed by PATCH, then it stays with its history; a link onto another community is refused', async () => {
    const list = await call('GET', '/pages?platform=telegram');
    const id = list.body.items[0].id;
    const closed = await call('PATCH', `/pages/${id}`, { status: 'closed', organisation: null });
    expect(closed).toMatchObject({ status: 200, body: { status: 'closed', organisation: null } });
    expect((await call('GET', `/pages/${id}`)).body.snapshots).toHaveLength(2);
    // Moving a page to another community would mix two histories: register the new one instead.
    expect(await call('PATCH', `/pages/${id}`, { link: 'vk.com/roads_barnaul' })).toMatchObject({
      status: 400,
      body: { error: { code: 'LINK_CHANGE' } },
    });
    expect(await call('PATCH', `/pages/${id}`, { ownerDepartment: 'atlantis' })).toMatchObject({ status: 400 });
  });

  it('when a round is asked for a page, then monitoring runs it (here: no VK service token, so deferred) and the page comes back', async () => {
    const list = await call('GET', '/pages?platform=vk');
    const id = list.body.items[0].id;
    const refreshed = await call('POST', `/pages/${id}/refresh`);
    expect(refreshed).toMatchObject({ status: 200, body: { outcome: { status: 'deferred', pageId: id }, page: { id } } });
    expect(await call('POST', '/pages/999999/refresh')).toMatchObject({ status: 404 });
  });

  it('when people call with their tokens, then a department sees its pages only and may not write', async () => {
    const mine = await call('GET', '/pages', undefined, headToken);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((p: { ownerDepartment: string }) => p.ownerDepartment)).toEqual(['housing-utilities']);
    expect(await call('GET', '/pages?owner=roads-transport', undefined, headToken)).toMatchObject({ status: 403 });
    const roads = (await call('GET', '/pages?owner=roads-transport')).body.items[0];
    expect(await call('GET', `/pages/${roads.id}`, undefined, headToken)).toMatchObject({ status: 403 });
    expect(await call('GET', `/pages/${roads.id}`, undefined, officialToken)).toMatchObject({ status: 200 });
    expect(await call('POST', '/pages', page({ link: '@other_page' }), officialToken)).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN' } },
    });
    expect(await call('PATCH', `/pages/${roads.id}`, { status: 'closed' }, officialToken)).toMatchObject({ status: 403 });
    expect(await call('POST', `/pages/${roads.id}/refresh`, undefined, officialToken)).toMatchObject({ status: 403 });
    const csv = await call('GET', '/exports/pages.csv', undefined, headToken);
    expect(csv.bytes.toString('utf8').trim().split(/\r?\n/)).toHaveLength(2);
  });

  it('when the list is exported, then the CSV and the XLSX have its rows with Russian headers', async () => {
    const csv = await call('GET', '/exports/pages.csv?owner=roads-transport');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="official-pages-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.bytes
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]?.split(';').slice(0, 6)).toEqual(['№', 'Платформа', 'Ссылка', 'Идентификатор', 'Название', 'Владелец']);
    // A cell starting with @ is guarded against spreadsheet formulas (csv-stream.ts).
    expect(lines.slice(1).map((l) => l.split(';')[3])).toEqual(['roads_barnaul', "'@roads_tg"]);
    expect(lines[2]).toContain('66.67');
    const xlsx = await call('GET', '/exports/pages.xlsx?owner=roads-transport');
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet?.name).toBe('Официальные страницы');
    expect(sheet?.rowCount).toBe(3);
    expect(await call('GET', '/exports/pages.csv?platform=icq')).toMatchObject({ status: 400 });
  });
});

describe('POST /api/v1/pages/:id/refresh without monitoring', () => {
  it('when the instance has no monitoring wired, then 503 «monitoring is not available», after the page is found', async () => {
    const token = 'pages-refresh-test-token-0123456789';
    const api = {
      get: async (_caller: unknown, id: number) => ({ status: 'ok', value: { id, snapshots: [] } }),
    } as unknown as PagesApi;
    const app = await createHttpServer(
      {
        log: createLogger({ level: 'silent' }),
        metrics: createMetrics(async () => ({})),
        apiToken: token,
        health: async () => ({ db: 'ok', queue: 'ok' }),
        status: () => ({ version: '0', roles: ['http'], uptimeSeconds: 0, sandbox: false }),
      },
      [pageRoutes(api, () => ({ clock: { now: () => new Date() }, domain: { city: { timezone: 'Asia/Barnaul' } as never } }))],
    );
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/pages/7/refresh',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: { code: 'UNAVAILABLE', message: 'monitoring is not available in this instance' } });
    } finally {
      await app.close();
    }
  });
});
