import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.js';
import type { Db } from '../../models/database.js';
import type { OfficialRow } from '../../models/people-repository.js';
import { CASE_HEADERS, CHANNEL_NAMES, PRIORITY_NAMES, STATUS_NAMES } from '../../src/http/export/texts-ru.js';
import { createMetrics } from '../../src/http/metrics.js';
import { caseRoutes } from '../../src/http/routes/cases.js';
import { exportRoutes } from '../../src/http/routes/exports.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { testDomain } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedAnswer, seedCase, seedPoll, seedSource } from '../helpers/rows.js';
import { parseCsv } from './csv-parse.js';

const TOKEN = 'test-service-token-0123456789';
const domain = testDomain();
const clock = new ManualClock('2026-11-20T05:00:00Z');
const [catA, catB] = [domain.categories[0], domain.categories.find((c) => c.department !== domain.categories[0]?.department)];
const [distA, distB] = [domain.districts[0], domain.districts[1]];
if (!catA || !catB || !distA || !distB) throw new Error('the test domain has too few categories or districts');
const deptA = catA.department;
const deptB = catB.department;
const BULK_DEPT = domain.departments.find((d) => d.id !== deptA && d.id !== deptB)?.id ?? 'bulk';
const names = (list: readonly { id: string; name: string }[]) => new Map(list.map((x) => [x.id, x.name]));
const [categoryNames, districtNames, departmentNames] = [
  names(domain.categories),
  names(domain.districts),
  names(domain.departments),
];
const local = (d: Date | string | null) =>
  d === null
    ? ''
    : new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Asia/Barnaul',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(d));

const person = (id: number, role: string, department: string, active = true): OfficialRow => ({
  id,
  name: `person ${id}`,
  department,
  role,
  preferredChannel: null,
  active,
});
const PEOPLE: Record<string, OfficialRow> = {
  'tok-official-a': person(1, 'official', deptA),
  'tok-curator': person(2, 'curator', deptB),
  'tok-gone': person(3, 'operator', deptA, false),
};

const TEXTS = [
  'Нет горячей воды; уже третий день',
  'Он сказал: "приедем завтра", и не приехал',
  'Строка первая\nстрока вторая\r\nи третья',
  '=1+1 формула в тексте',
  'Яма на дороге у дома 5 🚗',
  'Не вывозят мусор',
];

/** What the export should add to the listing for a seeded case. */
interface Extra {
  first: Date | null;
  final: Date | null;
  onTime: string;
  rating: number | null;
}

describe('exports of cases (CSV and XLSX) against the listing', () => {
  let testDb: TestDatabase;
  let db: Db;
  let server: FastifyInstance;
  let queries = 0;
  const extras = new Map<string, Extra>();

  const get = (path: string, token: string | null = TOKEN) =>
    server.inject({ method: 'GET', url: path, headers: token ? { authorization: `Bearer ${token}` } : {} });

  /** Every case the listing gives for `query`, following its cursor. */
  async function listing(query: string, token = TOKEN): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const r = await get(`/api/v1/cases?limit=200&${query}${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(r.statusCode).toBe(200);
      const body = r.json() as { items: Record<string, unknown>[]; nextCursor: string | null };
      items.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return items;
  }

  /** The rows the export must hold, built from the listing's JSON and what was seeded. */
  function expectedRows(items: Record<string, unknown>[], csv: boolean): string[][] {
    return items.map((c) => {
      const extra = extras.get(String(c.number));
      const source = c.source as { kind: string; title: string | null };
      const text = String(c.text);
      return [
        String(c.number),
        local(String(c.createdAt)),
        CHANNEL_NAMES[String(c.channel)] ?? String(c.channel),
        source.title ?? expect.any(String),
        c.category ? (categoryNames.get(String(c.category)) ?? '') : '',
        c.district ? (districtNames.get(String(c.district)) ?? '') : '',
        c.department ? (departmentNames.get(String(c.department)) ?? '') : '',
        STATUS_NAMES[String(c.status)] ?? '',
        PRIORITY_NAMES[String(c.priority)] ?? '',
        local(c.deadlineAt as string | null),
        local(extra?.first ?? null),
        local(extra?.final ?? null),
        extra?.onTime ?? '',
        extra?.rating === null || extra?.rating === undefined ? '' : String(extra.rating),
        csv ? (/^[=+\-@]/.test(text) ? `'${text}` : text) : text.replace(/\r\n?/g, '\n'),
      ];
    });
  }

  async function csvOf(query: string, token = TOKEN): Promise<string[][]> {
    const r = await get(`/api/v1/exports/cases.csv?${query}`, token);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="cases-2026-11-20\.csv"$/);
    return parseCsv(r.body);
  }

  async function xlsxOf(query: string, token = TOKEN): Promise<string[][]> {
    const r = await get(`/api/v1/exports/cases.xlsx?${query}`, token);
    expect(r.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    const rows: string[][] = [];
    sheet?.eachRow({ includeEmpty: true }, (row) => {
      const cells: string[] = [];
      for (let i = 1; i <= 15; i++) {
        const v = row.getCell(i).value;
        cells.push(v === null || v === undefined ? '' : String(v));
      }
      rows.push(cells);
    });
    return rows;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase('exports', { migrate: true });
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    db = testDb.handle.db.withPlugin(counting);
    server = await createHttpServer(
      {
        log: createLogger({ level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent' }),
        metrics: createMetrics(async () => ({})),
        apiToken: TOKEN,
        personByToken: async (token) => PEOPLE[token],
        health: async () => ({ db: 'ok', queue: 'ok' }),
        status: () => ({ version: 'test', roles: ['http'], uptimeSeconds: 0, sandbox: false }),
      },
      // A small page, so ties of created_at fall across page boundaries.
      [caseRoutes({ db, clock }), exportRoutes({ db, clock, domain }, { pageSize: 7 })],
    );
    const titled = await seedSource(testDb.handle.db, {
      channel: 'vk',
      kind: 'official_community',
      title: 'Барнаул — официально',
    });
    const base = new Date('2026-11-02T03:00:00Z').getTime();
    for (let i = 0; i < 30; i++) {
      const inA = i % 3 !== 0;
      const created = new Date(base + ((i * 7) % 10) * 3_600_000); // ties, and ids out of time order
      const deadline = i % 4 === 0 ? null : new Date(created.getTime() + 2 * 86_400_000);
      const row = await seedCase(testDb.handle.db, {
        at: created,
        channel: (['telegram', 'vk', 'max'] as const)[i % 3],
        ...(i % 3 === 1 ? { source_id: titled.id } : {}),
        text: `${TEXTS[i % TEXTS.length]} (№${i})`,
        category: inA ? catA.id : catB.id,
        department: inA ? deptA : deptB,
        district: i % 5 === 0 ? null : i % 2 ? distA.id : distB.id,
        status: i % 6 === 0 ? 'answered' : 'assigned',
        priority: i % 7 === 0 ? 'urgent' : 'normal',
        deadline_at: deadline,
      });
      const extra: Extra = { first: null, final: null, onTime: '', rating: null };
      if (i % 2 === 0) {
        extra.first = new Date(created.getTime() + 3_600_000);
        await seedAnswer(testDb.handle.db, { case_id: row.id, kind: 'interim', at: extra.first });
      }
      if (i % 6 === 0) {
        // Held, then approved: it counts from the approval; a late one misses the deadline.
        const written = new Date(created.getTime() + (i % 12 === 0 ? 3 : 1) * 86_400_000);
        extra.final = new Date(written.getTime() + 600_000);
        await seedAnswer(testDb.handle.db, { case_id: row.id, at: written, state: 'sent', reviewed_at: extra.final });
        await seedAnswer(testDb.handle.db, { case_id: row.id, at: created, state: 'rejected' });
        if (deadline) extra.onTime = extra.final <= deadline ? 'да' : 'нет';
        await seedPoll(testDb.handle.db, { case_id: row.id, state: 'answered', rating: 1 + (i % 5) });
        extra.rating = 1 + (i % 5);
      } else if (deadline && deadline < clock.now()) {
        extra.onTime = 'нет';
      }
      extras.set(row.number, extra);
    }
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  it('when the whole CSV is read back, then it is the listing row by row, with a BOM, ; and quoted texts', async () => {
    const items = await listing('');
    const rows = await csvOf('');
    expect(rows[0]).toEqual(Object.values(CASE_HEADERS));
    expect(rows.slice(1)).toEqual(expectedRows(items, true));
    expect(rows).toHaveLength(31);
    expect(rows.some((r) => r[14]?.includes('\r\n'))).toBe(true);
  });

  it('when the whole XLSX is read back with exceljs, then it is the listing row by row', async () => {
    const items = await listing('');
    const rows = await xlsxOf('');
    expect(rows[0]).toEqual(Object.values(CASE_HEADERS));
    expect(rows.slice(1)).toEqual(expectedRows(items, false));
  });

  it.each([
    `department=${deptA}`,
    `department=${deptB}&status=answered`,
    `category=${catB.id}&district=${distA.id}`,
    'channel=vk',
    'priority=urgent',
    'q=вода',
    'q=%3D1%2B1',
    'from=2026-11-02T05:00:00Z&to=2026-11-02T09:00:00Z',
    'status=closed',
  ])('when filtered by %s, then both files hold exactly what the listing holds', async (query) => {
    const items = await listing(query);
    expect((await csvOf(query)).slice(1)).toEqual(expectedRows(items, true));
    expect((await xlsxOf(query)).slice(1)).toEqual(expectedRows(items, false));
  });

  it('when a department official exports, then only their department; another department is 403 like the listing', async () => {
    const own = await csvOf('', 'tok-official-a');
    expect(own.slice(1)).toEqual(expectedRows(await listing('', 'tok-official-a'), true));
    expect(new Set(own.slice(1).map((r) => r[6]))).toEqual(new Set([departmentNames.get(deptA)]));
    for (const format of ['csv', 'xlsx']) {
      const r = await get(`/api/v1/exports/cases.${format}?department=${deptB}`, 'tok-official-a');
      expect(r.statusCode).toBe(403);
      expect(r.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
    expect((await get(`/api/v1/cases?department=${deptB}`, 'tok-official-a')).statusCode).toBe(403);
    expect((await csvOf('', 'tok-curator')).length).toBe(31);
  });

  it('when there is no token, a wrong one or a deactivated person, then 401/403 as for the listing', async () => {
    for (const format of ['csv', 'xlsx']) {
      expect((await get(`/api/v1/exports/cases.${format}`, null)).statusCode).toBe(401);
      expect((await get(`/api/v1/exports/cases.${format}`, 'wrong-token')).statusCode).toBe(401);
      expect((await get(`/api/v1/exports/cases.${format}`, 'tok-gone')).statusCode).toBe(403);
    }
    expect((await get('/api/v1/cases', 'tok-gone')).statusCode).toBe(403);
  });

  it.each([
    ['priority=high', true],
    ['from=2026-13-01', true],
    ['unknown=1', true],
    ['problem=0', true],
    ['q=', true],
    ['channel=fax', true],
    ['q=%00', true],
    ['limit=5', false],
    ['cursor=abc', false],
  ])('when the query is %s, then 400 VALIDATION_FAILED (as the listing, which pages)', async (query, listingRefuses) => {
    for (const format of ['csv', 'xlsx']) {
      const r = await get(`/api/v1/exports/cases.${format}?${query}`);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    if (listingRefuses) expect((await get(`/api/v1/cases?${query}`)).statusCode).toBe(400);
  });

  describe('a large export over a real socket', () => {
    let url = '';
    beforeAll(async () => {
      const source = await seedSource(testDb.handle.db, { channel: 'telegram' });
      await sql`
        insert into "case" (number, status, channel, source_id, text, department, last_message_at, created_at, updated_at)
        select 'МЦУ-2001-' || lpad(g::text, 6, '0'), 'assigned', 'telegram', ${source.id},
          'Массовое обращение; строка ' || g || chr(10) || 'вторая строка', ${BULK_DEPT},
          t, t, t
        from generate_series(1, 5000) g, lateral (select ${new Date('2026-10-01T00:00:00Z')}::timestamptz
          + ((g / 3) * interval '1 minute') as t) x`.execute(testDb.handle.db);
      await server.listen({ host: '127.0.0.1', port: 0 });
      url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    });

    it('when 5,000 cases are exported, then the CSV arrives chunked, in many pieces, every row once in order', async () => {
      const res = await fetch(`${url}/api/v1/exports/cases.csv?department=${BULK_DEPT}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      expect(res.headers.get('content-length')).toBeNull();
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const parts: Uint8Array[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
      }
      expect(parts.length).toBeGreaterThan(10);
      const rows = parseCsv(Buffer.concat(parts).toString('utf8'));
      expect(rows).toHaveLength(5001);
      const numbers = rows.slice(1).map((r) => r[0]);
      expect(new Set(numbers).size).toBe(5000);
      const inOrder = await testDb.handle.db
        .selectFrom('case')
        .select('number')
        .where('department', '=', BULK_DEPT)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      expect(numbers).toEqual(inOrder.map((r) => r.number));
      expect(rows[1]?.[14]).toMatch(/^Массовое обращение; строка \d+\nвторая строка$/);
    });

    it('when 5,000 cases are exported as XLSX, then exceljs reads 5,000 rows back', async () => {
      const res = await fetch(`${url}/api/v1/exports/cases.xlsx?department=${BULK_DEPT}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await res.arrayBuffer());
      expect(book.worksheets[0]?.rowCount).toBe(5001);
      expect(book.worksheets[0]?.getRow(5001).getCell(1).value).toBe('МЦУ-2001-000001');
    });

    it.each(['csv', 'xlsx'])('when the client of a %s export goes away, then no page is read after', async (format) => {
      const before = queries;
      // A client that reads the first bytes and hangs up (a plain socket: fetch may keep it for reuse).
      await new Promise<void>((resolve, reject) => {
        const req = httpGet(`${url}/api/v1/exports/cases.${format}?department=${BULK_DEPT}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        req.on('response', (res) =>
          res.once('data', () => {
            req.destroy();
            resolve();
          }),
        );
        req.on('error', reject);
      });
      let last = -1;
      while (last !== queries) {
        last = queries;
        await new Promise((r) => setTimeout(r, 300));
      }
      // 5,000 rows in pages of 7 are 715 queries; the socket's buffers hold a few dozen pages at most.
      expect(queries - before).toBeLessThan(300);
    });
  });
});
