import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntakeDeps, processMessage, receiveMessage } from '../../handlers/intake/index.js';
import { ManualClock } from '../../lib/clock.js';
import type { IncomingMessage } from '../../models/intake.js';
import type { App } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { makeApp, TEST_API_TOKEN } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { recordingQueue } from '../helpers/jobs.js';
import { incomingVkComment } from '../helpers/payloads.js';

/**
 * Input that can never succeed must answer 400 VALIDATION_FAILED naming the bad parameter, never a
 * 500 from PostgreSQL (NUL, bigint overflow, dates out of range) and never a different record than
 * the caller wrote (`0x1`, ` 1`, `1e0` and `1.0` are not case 1).
 */

type Kind = 'id' | 'text' | 'int' | 'date';

interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** Path parameters other than `:id` and the valid value each takes. */
  fixed?: Record<string, string>;
  query?: Record<string, Kind>;
  /** A body that passes validation; each body field below is spoiled in turn. */
  body?: Record<string, unknown>;
  bodyFields?: Record<string, Exclude<Kind, 'int'>>;
}

/** Every route under /api/ (the coverage test below keeps this list complete). */
const ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/api/v1/status' },
  { method: 'GET', path: '/api/v1/openapi.json' },
  { method: 'GET', path: '/api/v1/docs' },
  {
    method: 'GET',
    path: '/api/v1/cases',
    query: {
      limit: 'int',
      cursor: 'text',
      from: 'date',
      to: 'date',
      q: 'text',
      channel: 'text',
      status: 'text',
      category: 'text',
      department: 'text',
      district: 'text',
      priority: 'text',
      problem: 'id',
    },
  },
  { method: 'GET', path: '/api/v1/cases/:id' },
  {
    method: 'GET',
    path: '/api/v1/messages',
    query: { limit: 'int', cursor: 'text', from: 'date', to: 'date', q: 'text', channel: 'text', kind: 'text', source: 'id' },
  },
  { method: 'GET', path: '/api/v1/sources', query: { status: 'text' } },
  { method: 'POST', path: '/api/v1/sources/:id/:decision', fixed: { decision: 'approve' } },
  {
    method: 'GET',
    path: '/api/v1/problems',
    query: { status: 'text', category: 'text', district: 'text', sort: 'text', window: 'int', limit: 'int' },
  },
  { method: 'GET', path: '/api/v1/analytics/ratings', query: { from: 'date', to: 'date', department: 'text' } },
  { method: 'GET', path: '/api/v1/exports/ratings.csv', query: { from: 'date', to: 'date', department: 'text' } },
  { method: 'GET', path: '/api/v1/exports/ratings.xlsx', query: { from: 'date', to: 'date', department: 'text' } },
  {
    method: 'GET',
    path: '/api/v1/exports/problems.csv',
    query: { status: 'text', category: 'text', district: 'text', sort: 'text', window: 'int', limit: 'int' },
  },
  {
    method: 'GET',
    path: '/api/v1/exports/problems.xlsx',
    query: { status: 'text', category: 'text', district: 'text', sort: 'text', window: 'int', limit: 'int' },
  },
  { method: 'GET', path: '/api/v1/analytics/heatmap', query: { from: 'date', to: 'date', metric: 'text', boundaries: 'text' } },
  { method: 'GET', path: '/api/v1/analytics/recommendations', query: { from: 'date', to: 'date' } },
  {
    method: 'POST',
    path: '/api/v1/analytics/recommendations/:key/decision',
    // A recommendation's id is a key (rule.subject.from.to), not a row id.
    fixed: { key: 'held-share-growth.housing-utilities.2026-11-01.2026-12-01' },
    body: { decision: 'accepted', comment: 'Принято к исполнению' },
    bodyFields: { decision: 'text', comment: 'text' },
  },
  { method: 'GET', path: '/api/v1/alerts', query: { open: 'text', limit: 'int' } },
  { method: 'POST', path: '/api/v1/alerts/:id/ack' },
  { method: 'GET', path: '/api/v1/classifier/models' },
  { method: 'POST', path: '/api/v1/classifier/retrain' },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/status',
    body: { to: 'in_progress', comment: 'Принято в работу' },
    bodyFields: { to: 'text', comment: 'text' },
  },
  { method: 'GET', path: '/api/v1/cases/:id/audit' },
  { method: 'PATCH', path: '/api/v1/cases/:id', body: { category: 'yards' }, bodyFields: { category: 'text' } },
  {
    method: 'POST',
    path: '/api/v1/officials/invites',
    body: { name: 'Иванов И. И.', department: 'roads-transport', role: 'official' },
    bodyFields: { name: 'text', department: 'text', role: 'text' },
  },
  { method: 'POST', path: '/api/v1/officials/:id/invites' },
  { method: 'GET', path: '/api/v1/officials' },
  {
    method: 'POST',
    path: '/api/v1/officials/:id/preferred-channel',
    body: { channel: 'telegram' },
    bodyFields: { channel: 'text' },
  },
  { method: 'POST', path: '/api/v1/officials/:id/deactivate' },
  { method: 'POST', path: '/api/v1/officials/:id/api-tokens' },
  { method: 'DELETE', path: '/api/v1/officials/:id/api-tokens' },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/answers',
    body: { text: 'Бригада выехала, воду дадут к вечеру, проверьте после 18:00.', kind: 'interim', author: 'Оператор' },
    bodyFields: { text: 'text', kind: 'text', author: 'text' },
  },
  { method: 'GET', path: '/api/v1/cases/:id/answers' },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/extensions',
    body: { reason: 'Нужна техника', until: '2026-12-20T10:00:00Z', author: 'Оператор' },
    bodyFields: { reason: 'text', until: 'date', author: 'text' },
  },
  { method: 'GET', path: '/api/v1/extensions', query: { state: 'text', caseId: 'id' } },
  {
    method: 'POST',
    path: '/api/v1/extensions/:id/decision',
    body: { approve: true, comment: 'Согласовано', author: 'Оператор' },
    bodyFields: { comment: 'text', author: 'text' },
  },
  {
    method: 'POST',
    path: '/api/v1/answers/:id/review',
    body: { approve: true, comment: 'Хороший ответ', author: 'Оператор' },
    bodyFields: { comment: 'text', author: 'text' },
  },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/assign',
    body: { department: 'roads-transport', author: 'Оператор' },
    bodyFields: { department: 'text', officialId: 'id', author: 'text' },
  },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/return',
    body: { reason: 'Не наш вопрос', author: 'Оператор' },
    bodyFields: { reason: 'text', author: 'text' },
  },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/merge',
    body: { into: 2, author: 'Оператор' },
    bodyFields: { into: 'id', author: 'text' },
  },
  {
    method: 'POST',
    path: '/api/v1/cases/:id/questions',
    body: { text: 'Уточните номер дома', author: 'Оператор' },
    bodyFields: { text: 'text', author: 'text' },
  },
  { method: 'POST', path: '/api/v1/cases/:id/resume', body: { author: 'Оператор' }, bodyFields: { author: 'text' } },
  { method: 'GET', path: '/api/v1/stats/departments', query: { days: 'int', minCases: 'int' } },
  { method: 'GET', path: '/api/v1/dead-letters', query: { limit: 'int', before: 'id', source: 'text', replayed: 'text' } },
  { method: 'POST', path: '/api/v1/dead-letters/:id/replay' },
  {
    method: 'POST',
    path: '/api/v1/ingest',
    body: { source: 'pos', externalId: 'ПОС-1', receivedAt: '2026-01-15T03:00:00Z', text: 'Яма на дороге' },
    bodyFields: { source: 'text', externalId: 'text', text: 'text', address: 'text', receivedAt: 'date', answeredAt: 'date' },
  },
  {
    method: 'POST',
    path: '/api/v1/broadcasts',
    body: { title: 'Отключение воды', text: 'Завтра с 9 до 18', segment: { kind: 'subscribers' }, author: 'Оператор' },
    bodyFields: { title: 'text', text: 'text', author: 'text', scheduledAt: 'date' },
  },
  { method: 'GET', path: '/api/v1/broadcasts' },
  { method: 'GET', path: '/api/v1/broadcasts/:id' },
  {
    method: 'PATCH',
    path: '/api/v1/broadcasts/:id',
    body: { title: 'Отключение воды' },
    bodyFields: { title: 'text', text: 'text', scheduledAt: 'date' },
  },
  { method: 'GET', path: '/api/v1/broadcasts/:id/preview' },
  { method: 'GET', path: '/api/v1/broadcasts/:id/recipients.csv' },
  {
    method: 'GET',
    path: '/api/v1/pages',
    query: { platform: 'text', owner: 'text', status: 'text', limit: 'int', cursor: 'id' },
  },
  {
    method: 'POST',
    path: '/api/v1/pages',
    body: { link: 'https://vk.com/barnaul_adm', ownerDepartment: 'mcu' },
    bodyFields: {
      link: 'text',
      title: 'text',
      ownerDepartment: 'text',
      organisation: 'text',
      responsibleName: 'text',
      responsibleOfficialId: 'id',
    },
  },
  { method: 'GET', path: '/api/v1/pages/:id' },
  {
    method: 'PATCH',
    path: '/api/v1/pages/:id',
    body: { title: 'Администрация города' },
    bodyFields: { link: 'text', title: 'text', ownerDepartment: 'text', organisation: 'text', responsibleName: 'text' },
  },
  { method: 'POST', path: '/api/v1/pages/:id/refresh' },
  { method: 'GET', path: '/api/v1/exports/pages.csv', query: { platform: 'text', owner: 'text', status: 'text' } },
  { method: 'GET', path: '/api/v1/exports/pages.xlsx', query: { platform: 'text', owner: 'text', status: 'text' } },
  { method: 'GET', path: '/api/v1/citizens', query: { case: 'text', channel: 'text', externalId: 'text' } },
  { method: 'GET', path: '/api/v1/citizens/:id/export', query: { author: 'text' } },
  { method: 'POST', path: '/api/v1/citizens/:id/forget', bodyFields: { author: 'text' } },
];

/** A small seeded generator, so a failure names inputs that can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const digits = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 1 + int(9) : int(10))).join('');
  const ordinary = ['а', 'я', 'Ё', 'z', '7', ' ', '-', '😀', '\t', '%', "'", '"', '\\', ';'];
  const text = (poison: readonly string[]) => {
    const chars = Array.from({ length: 1 + int(20) }, () => pick(ordinary));
    chars.splice(int(chars.length + 1), 0, pick(poison));
    return chars.join('');
  };
  return {
    /** A string carrying NUL somewhere: the one poison a URL can deliver decoded. */
    nulText: () => text(['\u0000']),
    /** A string carrying NUL or a lone UTF-16 surrogate (a JSON body can deliver both). */
    poisonedText: () => text(['\u0000', '\ud800', '\udfff', '\udbff', '\udc00']),
    /** An id spelled in any way but the canonical decimal one, or too big for an id. */
    oddId: () =>
      pick([
        () => digits(17 + int(14)),
        () => `0x${int(1 << 20).toString(16)}`,
        () => `${1 + int(99)}e${int(3)}`,
        () => `-${digits(1 + int(5))}`,
        () => `${digits(1 + int(5))}.${int(10)}`,
        () => `0${digits(1 + int(5))}`,
        () => ` ${digits(1 + int(5))}`,
        () => `${digits(1 + int(5))} `,
        () => `+${digits(1 + int(5))}`,
        () => `${digits(1 + int(5))}\u0000`,
      ])(),
    /** A JSON number that is not a usable id. */
    oddJsonId: () => pick([() => Number(digits(17 + int(280))), () => -(1 + int(1000)), () => int(1000) + 0.5, () => 0])(),
  };
}

const gen = generator(20261201);
const times = <T>(n: number, make: () => T) => Array.from({ length: n }, make);

const BAD_PATH_IDS = [
  '\u0000',
  '1\u0000',
  '99999999999999999999',
  '9223372036854775808',
  '9007199254740992',
  '0x1',
  ' 1',
  '1 ',
  '1e0',
  '1.0',
  '-1',
  '0',
  '01',
  '+1',
  '1_000',
  '١',
  '😀',
  'abc',
  '1'.repeat(60),
  ...times(12, gen.oddId),
  ...times(6, gen.nulText),
];
const BAD_QUERY: Record<Kind, string[]> = {
  id: BAD_PATH_IDS,
  int: ['\u0000', '0x10', '1e1', ' 5', '5.0', '-5', '99999999999999999999', 'ten', ...times(6, gen.oddId)],
  text: ['\u0000', 'a\u0000b', '\u0000'.repeat(3), 'x'.repeat(5000), ...times(12, gen.nulText)],
  date: [
    '99999-01-01',
    '+099999-01-01',
    '-271821-04-20T00:00:00Z',
    '1999-12-31T23:59:59Z',
    '2101-01-01',
    '2026-13-45',
    '1',
    'yesterday',
    '\u0000',
    '2026-11-29\u0000',
  ],
};
const BAD_BODY: Record<Exclude<Kind, 'int'>, unknown[]> = {
  id: ['1', '0x1', 1e20, 2 ** 53, 2 ** 63, -1, 0, 1.5, null, ...times(6, gen.oddJsonId)],
  text: [
    '\u0000',
    'Нормальный текст\u0000 с NUL',
    'одинокий \ud800 суррогат',
    '\udfff в начале',
    'перевёрнутая пара \udc00\ud800',
    'x'.repeat(100_000),
    ...times(16, gen.poisonedText),
  ],
  date: ['99999-01-01', '1999-12-31T00:00:00Z', '2101-01-01', 'завтра', '\u0000', '2026-12-20\ud800', 1e20],
};

const describeValue = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  const shown = JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…(${s.length})` : s);
  return typeof v === 'string' ? shown : `${shown} (${typeof v})`;
};

function comment(id: number, text: string): IncomingMessage {
  return incomingVkComment(
    { ownerId: -3, postId: 1, commentId: id, text, author: 500 + id },
    { permalink: null, platformAt: new Date(Date.UTC(2026, 10, 29, 3, id)) },
  );
}

describe('API input: nothing a client sends is a 500 or reaches the wrong record', () => {
  let testDb: TestDatabase;
  let app: App;
  let caseNumber = '';
  let before: { audit: number; officials: number; answers: number; extensions: number };

  async function call(method: string, path: string, body?: unknown, init: RequestInit = {}) {
    const res = await fetch(`${app.info.httpUrl}${path}`, {
      method,
      ...init,
      headers: {
        authorization: `Bearer ${TEST_API_TOKEN}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: { error?: { code?: unknown; message?: unknown } } & Record<string, unknown> = {};
    try {
      json = JSON.parse(text);
    } catch {
      json = { raw: text };
    }
    return { status: res.status, body: json };
  }

  /** Every answer that is not a 400 VALIDATION_FAILED naming `name`, as readable lines (empty when all are). */
  async function refusals(
    name: string,
    attempts: { value: unknown; request: () => Promise<Awaited<ReturnType<typeof call>>> }[],
  ): Promise<string[]> {
    const wrong: string[] = [];
    for (const { value, request } of attempts) {
      const { status, body } = await request();
      const message = String(body.error?.message ?? '');
      const named = new RegExp(`(^|; )${name}: `).test(message);
      if (status !== 400 || body.error?.code !== 'VALIDATION_FAILED' || !named)
        wrong.push(`${describeValue(value)} → ${status} ${JSON.stringify(body).slice(0, 160)}`);
    }
    return wrong;
  }

  const counts = async () => {
    const db = testDb.handle.db;
    const count = async (table: 'audit_log' | 'official' | 'answer' | 'extension_request') =>
      Number((await db.selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    return {
      audit: await count('audit_log'),
      officials: await count('official'),
      answers: await count('answer'),
      extensions: await count('extension_request'),
    };
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('api_input', { migrate: true });
    const clock = new ManualClock('2026-11-29T03:00:00Z');
    const deps: IntakeDeps = {
      db: testDb.handle.db,
      jobs: recordingQueue(),
      clock,
      log: createLogger({ level: 'silent' }),
      settings: { followUpWindowMs: 86_400_000, firstResponse: '9wh', timeZone: 'Asia/Barnaul' },
    };
    for (const [i, text] of ['Нет горячей воды в доме', 'Яма на дороге у школы'].entries()) {
      clock.advance(60_000);
      const r = await receiveMessage(deps, comment(i + 1, text));
      if (r.status === 'stored') await processMessage(deps, { messageId: r.messageId });
    }
    ({ app } = makeApp({ DATABASE_URL: testDb.url, APP_ROLES: 'http' }));
    await app.start();
    const first = await call('GET', '/api/v1/cases/1');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: 1, category: null, status: 'triage' });
    caseNumber = String(first.body.number);
    before = await counts();
  });
  afterAll(async () => {
    await app?.stop();
    await testDb?.drop();
  });

  describe('path ids', () => {
    const withId = ROUTES.filter((r) => r.path.includes(':id'));
    it.each(withId.map((r) => [`${r.method} ${r.path}`, r] as const))(
      'when %s gets an id that is not a canonical positive integer, then 400 naming id',
      async (_, route) => {
        const attempts = BAD_PATH_IDS.map((value) => ({
          value,
          request: () => call(route.method, pathOf(route, { id: encodeURIComponent(value) }), route.body),
        }));
        expect(await refusals('id', attempts)).toEqual([]);
      },
    );
  });

  describe('query parameters', () => {
    const cases = ROUTES.flatMap((r) =>
      Object.entries(r.query ?? {}).map(([name, kind]) => [`${r.path}?${name}`, r, name, kind] as const),
    );
    it.each(cases)('when %s is given a value that can never match, then 400 naming it', async (_, route, name, kind) => {
      const attempts = BAD_QUERY[kind].map((value) => ({
        value,
        request: () => call(route.method, `${pathOf(route)}?${name}=${encodeURIComponent(value)}`),
      }));
      expect(await refusals(name, attempts)).toEqual([]);
    });
  });

  describe('body fields', () => {
    const cases = ROUTES.flatMap((r) =>
      Object.entries(r.bodyFields ?? {}).map(([name, kind]) => [`${r.method} ${r.path} {${name}}`, r, name, kind] as const),
    );
    it.each(cases)(
      'when %s carries NUL, a lone surrogate or an impossible value, then 400 naming it',
      async (_, route, name, kind) => {
        const attempts = BAD_BODY[kind].map((value) => ({
          value,
          request: () => call(route.method, pathOf(route, { id: '1' }), { ...route.body, [name]: value }),
        }));
        expect(await refusals(name, attempts)).toEqual([]);
      },
    );
  });

  it('when PATCH /api/v1/cases/0x1 (or " 1", "1e0", "1.0", "01") sets a category, then 400 and case 1 is unchanged', async () => {
    for (const id of ['0x1', ' 1', '1e0', '1.0', '01', '+1']) {
      const res = await call('PATCH', `/api/v1/cases/${encodeURIComponent(id)}`, { category: 'yards' });
      expect(res.status, id).toBe(400);
      expect(res.body.error, id).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^id: /) });
    }
    const after = await call('GET', '/api/v1/cases/1');
    expect(after.body).toMatchObject({ id: 1, category: null, status: 'triage' });
    const audit = await call('GET', '/api/v1/cases/1/audit');
    expect((audit.body.items as { action: string }[]).map((a) => a.action)).not.toContain('category_corrected');
  });

  it('when ids are canonical, then they still work: a case by id or number, and an unknown id is 404', async () => {
    expect((await call('GET', '/api/v1/cases/1')).status).toBe(200);
    expect((await call('GET', `/api/v1/cases/${encodeURIComponent(caseNumber)}`)).body).toMatchObject({ id: 1 });
    expect((await call('GET', `/api/v1/cases/${Number.MAX_SAFE_INTEGER}`)).status).toBe(404);
    expect((await call('GET', `/api/v1/cases/${Number.MAX_SAFE_INTEGER}/audit`)).status).toBe(200);
    expect((await call('POST', `/api/v1/alerts/${Number.MAX_SAFE_INTEGER}/ack`)).status).toBe(404);
    expect((await call('GET', '/api/v1/cases/%D0%9C%D0%A6%D0%A3-2026-999999')).status).toBe(404);
    expect((await call('GET', `/api/v1/cases?problem=${Number.MAX_SAFE_INTEGER}`)).status).toBe(200);
  });

  it('when text is ordinary Unicode (Cyrillic, an emoji pair, quotes), then it is accepted', async () => {
    const q = await call('GET', `/api/v1/cases?q=${encodeURIComponent('воды 😀 "\'')}`);
    expect(q.status).toBe(200);
    const found = await call('GET', `/api/v1/cases?q=${encodeURIComponent('вода')}`);
    expect((found.body.items as { id: number }[]).map((c) => c.id)).toEqual([1]);
    for (const key of ['category', 'district', 'status', 'department']) {
      expect((await call('GET', `/api/v1/cases?${key}=${encodeURIComponent('двор 😀')}`)).status, key).toBe(200);
    }
  });

  it('when dates are ISO 8601 within 2000–2100, then they filter as before', async () => {
    for (const from of [
      '2026-11-29',
      '2026-11-29T03:00:00Z',
      '2026-11-29T09:00:00+06:00',
      '2000-01-01',
      '2100-12-31T23:59:59.999Z',
    ]) {
      expect((await call('GET', `/api/v1/cases?from=${encodeURIComponent(from)}`)).status, from).toBe(200);
    }
    const late = await call('GET', `/api/v1/cases?from=${encodeURIComponent('2026-11-29T03:02:00Z')}`);
    expect((late.body.items as { id: number }[]).map((c) => c.id)).toEqual([2]);
  });

  it('when a cursor carries an impossible date or id, then 400 naming cursor', async () => {
    const cursors = [
      { at: '+099999-01-01T00:00:00.000Z', id: 1 },
      { at: '-271821-04-20T00:00:00.000Z', id: 1 },
      { at: '2026-11-29T03:00:00.000Z', id: 1e20 },
      { at: '2026-11-29T03:00:00.000Z\u0000', id: 1 },
    ];
    for (const c of cursors) {
      const cursor = Buffer.from(JSON.stringify(c)).toString('base64url');
      const res = await call('GET', `/api/v1/cases?cursor=${cursor}`);
      expect(res.status, JSON.stringify(c)).toBe(400);
      expect(res.body.error, JSON.stringify(c)).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^cursor: /),
      });
    }
  });

  it('when the path is not valid percent-encoded UTF-8 (a lone surrogate, a cut escape), then 400 JSON with a code', async () => {
    for (const path of ['/api/v1/cases/%ED%A0%80', '/api/v1/cases/%E0%A4%A', '/api/v1/cases/1%FF/audit']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.body.error, path).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String) });
    }
  });

  it('when a query escape is not valid UTF-8, then it is taken literally and never a 500', async () => {
    for (const q of ['%ED%A0%80', '%ED%BF%BF', '%E0%A4%A', '%FF']) {
      const res = await call('GET', `/api/v1/cases?q=${q}`);
      expect(res.status, q).toBe(200);
    }
  });

  it('when a query parameter is repeated, then 400 naming it', async () => {
    const res = await call('GET', '/api/v1/cases?q=a&q=b');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^q: /) });
  });

  describe('bodies that are not JSON objects', () => {
    const raw = (body: string | Uint8Array, contentType?: string) =>
      call('POST', '/api/v1/cases/1/questions', undefined, {
        body,
        headers: contentType ? { 'content-type': contentType } : {},
      });

    it.each([
      { label: 'not JSON', body: '{"text": "Уточните', type: 'application/json', status: 400, code: 'INVALID_JSON' },
      { label: 'empty', body: '', type: 'application/json', status: 400, code: 'INVALID_JSON' },
      {
        label: 'a __proto__ key',
        body: '{"__proto__": {"text": "Уточните"}}',
        type: 'application/json',
        status: 400,
        code: 'INVALID_JSON',
      },
      { label: 'a JSON array', body: '["Уточните номер"]', type: 'application/json', status: 400, code: 'VALIDATION_FAILED' },
      { label: 'a JSON string', body: '"Уточните номер"', type: 'application/json', status: 400, code: 'VALIDATION_FAILED' },
      { label: 'plain text', body: 'Уточните номер дома', type: 'text/plain', status: 400, code: 'VALIDATION_FAILED' },
      { label: 'XML', body: '<text>Уточните</text>', type: 'application/xml', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      {
        label: 'a form',
        body: 'text=abc',
        type: 'application/x-www-form-urlencoded',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      },
      {
        label: 'untyped',
        body: new TextEncoder().encode('{"text": "Уточните"}'),
        type: undefined,
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      },
      {
        label: 'JSON with \\u0000',
        body: '{"text": "Уточните\\u0000номер"}',
        type: 'application/json',
        status: 400,
        code: 'VALIDATION_FAILED',
      },
    ])('when the body is $label, then $status $code', async ({ body, type, status, code }) => {
      const res = await raw(body, type);
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
    });

    it('when the body is over the 256 KiB limit, then 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await raw(JSON.stringify({ text: 'я'.repeat(700_000) }), 'application/json');
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    });
  });

  it('when every refusal above is done, then nothing was written: no audit, official, answer or extension', async () => {
    expect(await counts()).toEqual(before);
    expect((await call('GET', '/api/v1/cases/1')).body).toMatchObject({ id: 1, category: null, status: 'triage' });
    expect((await call('GET', '/api/v1/cases/2')).body).toMatchObject({ id: 2, category: null, status: 'triage' });
  });

  it('when a route is added under /api/, then it is in the table above (so its input is tried here too)', () => {
    const dir = 'src/http/routes';
    const found = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [...readFileSync(join(dir, f), 'utf8').matchAll(/\.(get|post|patch|put|delete)\(\s*'(\/api\/[^']*)'/g)].map(
          (m) => `${m[1]?.toUpperCase()} ${m[2]}`,
        ),
      );
    const listed = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(found.filter((r) => !listed.includes(r))).toEqual([]);
    expect(listed.filter((r) => !found.includes(r))).toEqual([]);
  });
});

function pathOf(route: RouteSpec, values: Record<string, string> = {}): string {
  const all: Record<string, string> = { id: '1', ...route.fixed, ...values };
  return route.path.replace(/:(\w+)/g, (_, name: string) => all[name] ?? '');
}
