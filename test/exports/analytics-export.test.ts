import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listedCalendarFiles, loadProductionCalendar } from '../../config/calendar.js';
import { loadDomainConfig } from '../../config/domain.js';
import { bindAnalytics } from '../../handlers/analytics/index.js';
import { ManualClock } from '../../lib/clock.js';
import { WorkingCalendar } from '../../lib/deadlines/index.js';
import type { OfficialRow } from '../../models/people-repository.js';
import { seedDemoHistory } from '../../scripts/demo/seed.js';
import {
  NO,
  PROBLEM_HEADERS,
  PROBLEM_STATUS_NAMES,
  RATING_HEADERS,
  UNRANKED_REASON_NAMES,
  YES,
} from '../../src/http/export/texts-ru.js';
import { createMetrics } from '../../src/http/metrics.js';
import { analyticsRoutes } from '../../src/http/routes/analytics.js';
import { analyticsExportRoutes } from '../../src/http/routes/analytics-exports.js';
import { createHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { parseCsv } from './csv-parse.js';

/**
 * The ratings and problems exports against their JSON endpoints, on a demo history (the `mcu demo
 * seed` generator, a few thousand cases over three months): every row of the file is the JSON's row,
 * figure by figure; the same access rules; the same 400s for the same bad input.
 */

const TOKEN = 'test-service-token-0123456789';
const domainPath = resolve('config/barnaul.yaml');
const domain = loadDomainConfig(domainPath);
const calendar = WorkingCalendar.forCity(domain.city, loadProductionCalendar(listedCalendarFiles(domainPath, domain)));
const UNTIL = new Date('2026-11-30T17:00:00Z'); // 1 December 2026, 00:00 in Barnaul
const clock = new ManualClock(UNTIL);
const PERIOD = `from=${encodeURIComponent('2026-10-31T17:00:00Z')}&to=${encodeURIComponent('2026-11-30T17:00:00Z')}`;
const QUARTER = `from=${encodeURIComponent('2026-08-31T17:00:00Z')}&to=${encodeURIComponent('2026-11-30T17:00:00Z')}`;

const names = (list: readonly { id: string; name: string }[]) => new Map(list.map((x) => [x.id, x.name]));
const [categoryNames, districtNames, departmentNames] = [
  names(domain.categories),
  names(domain.districts),
  names(domain.departments),
];
const local = (d: string | null) =>
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
const cell = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));

const person = (id: number, role: string, department: string, active = true): OfficialRow => ({
  id,
  name: `person ${id}`,
  department,
  role,
  preferredChannel: null,
  active,
});
const OWN_DEPT = 'housing-utilities';
const PEOPLE: Record<string, OfficialRow> = {
  'tok-official': person(1, 'official', OWN_DEPT),
  'tok-curator': person(2, 'curator', 'mcu'),
  'tok-gone': person(3, 'curator', 'mcu', false),
};

type Json = Record<string, unknown>;

/** A ratings row as the export must write it, from the JSON report's row. */
function ratingRow(r: Json): string[] {
  const o = (k: string) => r[k] as Json;
  return [
    cell(r.rank as number | null),
    r.rank === null ? NO : YES,
    r.unrankedReason === null ? '' : (UNRANKED_REASON_NAMES[String(r.unrankedReason)] ?? ''),
    String(r.department),
    String(r.name),
    cell(r.score as number | null),
    cell(r.cases as number),
    cell(r.answered as number),
    cell(r.answeredShare as number | null),
    cell(r.due as number),
    cell(r.answeredOnTime as number),
    cell(r.onTimeShare as number | null),
    cell(o('firstResponseHours').median as number | null),
    cell(o('firstResponseHours').p90 as number | null),
    cell(o('finalAnswerHours').median as number | null),
    cell(o('finalAnswerHours').p90 as number | null),
    cell(o('completeness').finalAnswers as number),
    cell(o('completeness').clean as number),
    cell(o('completeness').held as number),
    cell(o('completeness').forced as number),
    cell(o('completeness').share as number | null),
    cell(o('completeness').otpiskaShare as number | null),
    cell(o('reopened').reopenings as number),
    cell(o('reopened').share as number | null),
    cell(o('repeats').cases as number),
    cell(o('repeats').share as number | null),
    cell(o('satisfaction').polled as number),
    cell(o('satisfaction').answered as number),
    cell(o('satisfaction').rated as number),
    cell(o('satisfaction').share45 as number | null),
    cell(o('satisfaction').mean as number | null),
    cell(o('trend').previousCases as number),
    cell(o('trend').previousScore as number | null),
    cell(o('trend').previousRank as number | null),
    cell(o('trend').scoreDelta as number | null),
  ];
}

/** A problems row as the export must write it, from the JSON list's item. */
function problemRow(p: Json): string[] {
  const trend = p.trend as Json;
  const list = (map: Map<string, string>, ids: unknown) => (ids as string[]).map((id) => map.get(id) ?? id).join(', ');
  return [
    String(p.id),
    String(p.title),
    PROBLEM_STATUS_NAMES[String(p.status)] ?? '',
    categoryNames.get(String(p.category)) ?? String(p.category),
    districtNames.get(String(p.district)) ?? String(p.district),
    p.department === null ? '' : (departmentNames.get(String(p.department)) ?? String(p.department)),
    cell(p.volume as number),
    cell(trend.recent as number),
    cell(trend.previous as number),
    cell(trend.growth as number),
    local(p.firstSeen as string),
    local(p.lastSeen as string),
    local(p.resolvedAt as string | null),
    cell(p.recurrences as number),
    list(categoryNames, p.categories),
    list(districtNames, p.districts),
  ];
}

describe('exports of the ratings and the problem list (CSV and XLSX) against their JSON', () => {
  let testDb: TestDatabase;
  let server: FastifyInstance;

  const get = (path: string, token: string | null = TOKEN) =>
    server.inject({ method: 'GET', url: path, headers: token ? { authorization: `Bearer ${token}` } : {} });

  async function json(path: string, token = TOKEN): Promise<Json> {
    const r = await get(path, token);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Json;
  }

  async function csvOf(path: string, name: string, token = TOKEN): Promise<string[][]> {
    const r = await get(path, token);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${name}-2026-12-01.csv"`);
    return parseCsv(r.body);
  }

  async function xlsxOf(path: string, width: number, sheetName: string, token = TOKEN): Promise<string[][]> {
    const r = await get(path, token);
    expect(r.statusCode, r.body).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet?.name).toBe(sheetName);
    const rows: string[][] = [];
    sheet?.eachRow({ includeEmpty: true }, (row) => {
      const cells: string[] = [];
      for (let i = 1; i <= width; i++) {
        const v = row.getCell(i).value;
        cells.push(v === null || v === undefined ? '' : String(v));
      }
      rows.push(cells);
    });
    return rows;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase('analytics_exports', { migrate: true });
    const db = testDb.handle.db;
    await seedDemoHistory(db, domain, calendar, { count: 3_000, months: 3, until: UNTIL, seed: 13 });
    // What autovacuum would do after a bulk load: without statistics the ratings' plan takes seconds.
    await sql`analyze`.execute(db);
    const api = bindAnalytics(() => ({ db, clock, calendar, domain, boundaries: [] }));
    server = await createHttpServer(
      {
        log: createLogger({ level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent' }),
        metrics: createMetrics(async () => ({})),
        apiToken: TOKEN,
        personByToken: async (token) => PEOPLE[token],
        health: async () => ({ db: 'ok', queue: 'ok' }),
        status: () => ({ version: 'test', roles: ['http'], uptimeSeconds: 0, sandbox: false }),
      },
      [analyticsRoutes(api), analyticsExportRoutes(api, { clock, domain })],
    );
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await testDb?.drop();
  });

  describe('ratings', () => {
    const headers = Object.values(RATING_HEADERS);

    it('when exported as CSV and XLSX, then each row is a department of the JSON, every figure the same, ranked first', async () => {
      for (const period of [PERIOD, QUARTER]) {
        const report = await json(`/api/v1/analytics/ratings?${period}`);
        const departments = [...(report.ranked as Json[]), ...(report.unranked as Json[])];
        expect((report.ranked as Json[]).length).toBeGreaterThan(3); // a real rating, not an empty file
        expect(departments.some((d) => d.satisfaction && (d.satisfaction as Json).mean !== null)).toBe(true);
        const expected = [headers, ...departments.map(ratingRow)];
        expect(await csvOf(`/api/v1/exports/ratings.csv?${period}`, 'ratings')).toEqual(expected);
        expect(await xlsxOf(`/api/v1/exports/ratings.xlsx?${period}`, headers.length, 'Рейтинг')).toEqual(expected);
      }
    });

    it('when one department is asked for, then its row alone, with its rank among all', async () => {
      const report = await json(`/api/v1/analytics/ratings?${PERIOD}&department=${OWN_DEPT}`);
      const rows = await csvOf(`/api/v1/exports/ratings.csv?${PERIOD}&department=${OWN_DEPT}`, 'ratings');
      expect(rows.slice(1)).toEqual([...(report.ranked as Json[]), ...(report.unranked as Json[])].map(ratingRow));
      expect(rows).toHaveLength(2);
    });

    it('when a department-only person exports, then their department’s row only; another department is 403', async () => {
      const report = await json(`/api/v1/analytics/ratings?${PERIOD}`, 'tok-official');
      const rows = await csvOf(`/api/v1/exports/ratings.csv?${PERIOD}`, 'ratings', 'tok-official');
      expect(rows.slice(1)).toEqual([...(report.ranked as Json[]), ...(report.unranked as Json[])].map(ratingRow));
      expect(rows.slice(1).map((r) => r[3])).toEqual([OWN_DEPT]);
      for (const format of ['csv', 'xlsx']) {
        const other = await get(`/api/v1/exports/ratings.${format}?${PERIOD}&department=mcu`, 'tok-official');
        expect(other.statusCode).toBe(403);
        expect(other.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
      }
      // A role that sees every case gets every department.
      const all = await csvOf(`/api/v1/exports/ratings.csv?${PERIOD}`, 'ratings', 'tok-curator');
      expect(all.length).toBeGreaterThan(3);
    });
  });

  describe('problems', () => {
    it('when exported as CSV and XLSX, then each row is a problem of the JSON list, in its order, for every filter', async () => {
      const queries = ['', 'sort=growth&window=14', 'status=open&limit=5', `district=${domain.districts[0]?.id}`, 'window=365'];
      let seen = 0;
      for (const query of queries) {
        const { items } = (await json(`/api/v1/problems?${query}`)) as { items: Json[] };
        seen += items.length;
        const window = /window=(\d+)/.exec(query)?.[1] ?? '30';
        const headers = [
          ...Object.values(PROBLEM_HEADERS).slice(0, 7),
          `Обращений за последние ${window} дн.`,
          `Обращений за ${window} дн. до них`,
          ...Object.values(PROBLEM_HEADERS).slice(7),
        ];
        const expected = [headers, ...items.map(problemRow)];
        expect(await csvOf(`/api/v1/exports/problems.csv?${query}`, 'problems'), query).toEqual(expected);
        expect(await xlsxOf(`/api/v1/exports/problems.xlsx?${query}`, headers.length, 'Проблемы'), query).toEqual(expected);
      }
      expect(seen).toBeGreaterThan(5);
    });

    it('when a department-only person exports the problem list, then 403, as for the JSON; a curator may', async () => {
      for (const path of ['/api/v1/problems', '/api/v1/exports/problems.csv', '/api/v1/exports/problems.xlsx']) {
        const r = await get(path, 'tok-official');
        expect(r.statusCode, path).toBe(403);
        expect(r.json(), path).toMatchObject({ error: { code: 'FORBIDDEN' } });
      }
      expect((await get('/api/v1/exports/problems.csv', 'tok-curator')).statusCode).toBe(200);
    });
  });

  it('when the token is missing, unknown or deactivated, then the exports refuse as the JSON routes do', async () => {
    const pairs = [
      [`/api/v1/analytics/ratings?${PERIOD}`, `/api/v1/exports/ratings.csv?${PERIOD}`],
      ['/api/v1/problems', '/api/v1/exports/problems.xlsx'],
    ];
    for (const [jsonPath, exportPath] of pairs as [string, string][]) {
      for (const token of [null, 'tok-unknown', 'tok-gone']) {
        const a = await get(jsonPath, token);
        const b = await get(exportPath, token);
        expect(a.statusCode).toBeGreaterThanOrEqual(401);
        expect([b.statusCode, b.json()], `${exportPath} ${token}`).toEqual([a.statusCode, a.json()]);
      }
    }
  });

  it('when the input is bad, then each export answers the same 400 as its JSON route', async () => {
    const ratings = [
      '',
      'from=2026-11-01',
      'from=yesterday&to=2026-12-01',
      'from=2026-12-01&to=2026-11-01',
      'from=2020-01-01&to=2026-01-01',
      'from=2026-11-01&to=2026-12-01&department=nowhere',
      'from=2026-11-01&to=2026-12-01&department=',
      'from=2026-11-01&to=2026-12-01&limit=5',
    ];
    const problems = [
      'status=closed',
      'category=nowhere',
      'district=nowhere',
      'sort=size',
      'window=0',
      'window=366',
      'limit=501',
      'limit=1.5',
      'cursor=abc',
      'category=%00',
    ];
    const pairs = [
      ...ratings.flatMap((q) =>
        ['csv', 'xlsx'].map((f) => [`/api/v1/analytics/ratings?${q}`, `/api/v1/exports/ratings.${f}?${q}`]),
      ),
      ...problems.flatMap((q) => ['csv', 'xlsx'].map((f) => [`/api/v1/problems?${q}`, `/api/v1/exports/problems.${f}?${q}`])),
    ] as [string, string][];
    const codes = new Set<string>();
    for (const [jsonPath, exportPath] of pairs) {
      const a = await get(jsonPath);
      const b = await get(exportPath);
      expect(a.statusCode, jsonPath).toBe(400);
      expect([b.statusCode, b.json()], exportPath).toEqual([400, a.json()]);
      codes.add((a.json() as { error: { code: string } }).error.code);
    }
    expect([...codes].sort()).toEqual(
      [
        'INVALID_FROM',
        'INVALID_PERIOD',
        'UNKNOWN_CATEGORY',
        'UNKNOWN_DEPARTMENT',
        'UNKNOWN_DISTRICT',
        'VALIDATION_FAILED',
      ].sort(),
    );
  });
});
